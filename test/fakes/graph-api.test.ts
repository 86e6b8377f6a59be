import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { metaJson, startFakeGraph, type FakeGraph, type FakeGraphOptions, type FakeTemplate } from './graph-api';

const TOKEN = 'EAAG-test-token';
const SECRET = 'app-secret-123';
const PHONE_ID = '109876543210987';
const WABA_ID = '201234567890123';
const PATIENT = '51987654321';

const TEMPLATES: FakeTemplate[] = [
  {
    name: 'resultado_listo',
    language: 'es_PE',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'DOCUMENT' },
      { type: 'BODY', text: 'Hola {{1}}, su resultado de {{2}} está listo.' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Confirmar' },
          { type: 'QUICK_REPLY', text: 'Reprogramar' },
        ],
      },
    ],
  },
  simpleTemplate('recordatorio', 'APPROVED', 'UTILITY', 'Cita el {{1}}'),
  simpleTemplate('pausada', 'PAUSED', 'MARKETING'),
  simpleTemplate('deshabilitada', 'DISABLED', 'MARKETING'),
  simpleTemplate('pendiente', 'PENDING', 'UTILITY'),
];

function simpleTemplate(name: string, status: FakeTemplate['status'], category: FakeTemplate['category'], body = 'x') {
  return { name, language: 'es', status, category, components: [{ type: 'BODY', text: body }] } satisfies FakeTemplate;
}

/** A valid send of the one-parameter 'recordatorio' template. */
const reminder = (to: string) => ({
  to,
  type: 'template',
  template: {
    name: 'recordatorio',
    language: { code: 'es' },
    components: [{ type: 'body', parameters: [{ type: 'text', text: 'lunes' }] }],
  },
});

// Graph answers are loose JSON; the tests read into them freely.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ── a tiny receiver standing in for Avisa's webhook endpoint ──

interface Received {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  json: { entry: { id: string; changes: { field: string; value: Record<string, unknown> }[] }[] };
}

interface Receiver {
  url: string;
  received: Received[];
  /** What to answer each POST with (default: 200 when the signature is valid, else 401). */
  answer: (r: Received, index: number) => number;
  close(): Promise<void>;
}

function signatureValid(raw: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const servers: Server[] = [];
async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: (r) => (signatureValid(r.raw, r.headers['x-hub-signature-256']) ? 200 : 401),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const r: Received = { raw, headers: req.headers, json: JSON.parse(raw.toString('utf8')) as Received['json'] };
      receiver.received.push(r);
      res.writeHead(receiver.answer(r, receiver.received.length - 1)).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return receiver;
}

const fakes: FakeGraph[] = [];
async function rig(opts: Partial<FakeGraphOptions> = {}) {
  const receiver = await startReceiver();
  const fake = await startFakeGraph({
    accessToken: TOKEN,
    appSecret: SECRET,
    phoneNumberId: PHONE_ID,
    wabaId: WABA_ID,
    webhookUrl: receiver.url,
    templates: TEMPLATES,
    ...opts,
  });
  fakes.push(fake);
  return { fake, receiver };
}

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function call(fake: FakeGraph, method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  const res = await fetch(`${fake.url}${path}`, init);
  return { status: res.status, contentType: res.headers.get('content-type'), json: (await res.json()) as Loose };
}

const send = (fake: FakeGraph, body: Record<string, unknown>) =>
  call(fake, 'POST', `/v23.0/${PHONE_ID}/messages`, {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: PATIENT,
    ...body,
  });
const text = (body = 'Hola') => ({ type: 'text', text: { body } });

/** Every status the receiver got, flattened in arrival order. */
function statuses(receiver: Receiver): Loose[] {
  return receiver.received.flatMap((r) =>
    r.json.entry.flatMap((e) => e.changes.flatMap((c) => (c.value.statuses as Loose[] | undefined) ?? [])),
  );
}

async function upload(fake: FakeGraph, fields: { product?: string; file?: boolean } = {}) {
  const form = new FormData();
  form.append('messaging_product', fields.product ?? 'whatsapp');
  form.append('type', 'application/pdf');
  if (fields.file !== false) {
    form.append('file', new Blob(['%PDF-1.4 resultado'], { type: 'application/pdf' }), 'resultado.pdf');
  }
  const headers = { authorization: `Bearer ${TOKEN}` };
  const res = await fetch(`${fake.url}/v23.0/${PHONE_ID}/media`, { method: 'POST', headers, body: form });
  return { status: res.status, json: (await res.json()) as Loose };
}

const templateBody = (overrides: Record<string, unknown> = {}, mediaId = 'x') => ({
  type: 'template',
  template: {
    name: 'resultado_listo',
    language: { code: 'es_PE' },
    components: [
      { type: 'header', parameters: [{ type: 'document', document: { id: mediaId, filename: 'resultado.pdf' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'Hemograma' }] },
      {
        type: 'button',
        sub_type: 'quick_reply',
        index: '0',
        parameters: [{ type: 'payload', payload: 'CONFIRM:apt-1' }],
      },
    ],
    ...overrides,
  },
});

describe('fake Graph API: authentication and paths', () => {
  it('answers a wrong token with 401, OAuthException 190 and no error_data, and a missing one with 104', async () => {
    const { fake } = await rig();
    const wrong = await call(fake, 'POST', `/v23.0/${PHONE_ID}/messages`, { messaging_product: 'whatsapp' }, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.contentType).toMatch(/^application\/json/);
    expect(wrong.json.error).toMatchObject({ type: 'OAuthException', code: 190 });
    expect(wrong.json.error.error_data).toBeUndefined();
    expect(wrong.json.error.fbtrace_id).toMatch(/^\S{11}$/);
    const none = await call(fake, 'GET', `/v23.0/${PHONE_ID}`, undefined, null);
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe(104);
  });

  it('expires and rotates the token', async () => {
    const { fake } = await rig();
    fake.expireToken();
    const expired = await call(fake, 'GET', `/v23.0/${PHONE_ID}`);
    expect(expired.json.error).toMatchObject({ code: 190, error_subcode: 463 });
    fake.setAccessToken('new-token');
    expect((await call(fake, 'GET', `/v23.0/${PHONE_ID}`, undefined, 'new-token')).status).toBe(200);
  });

  it('rejects another API version, unknown edges and unknown objects as Graph does', async () => {
    const { fake } = await rig();
    const version = await call(fake, 'POST', `/v19.0/${PHONE_ID}/messages`, {});
    expect(version.status).toBe(400);
    expect(version.json.error).toMatchObject({
      code: 2500,
      message: `Unknown path components: /v19.0/${PHONE_ID}/messages`,
    });
    const edge = await call(fake, 'GET', `/v23.0/${PHONE_ID}/nothing`);
    expect(edge.json.error).toMatchObject({ code: 2500, message: 'Unknown path components: /nothing' });
    const object = await call(fake, 'GET', '/v23.0/12345');
    expect(object.status).toBe(400);
    expect(object.json.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    expect(object.json.error.message).toMatch(/^Unsupported get request\. Object with ID '12345'/);
    expect(fake.requests.map((r) => r.errorCode)).toEqual([2500, 2500, 100]);
  });

  it('describes the phone number and lists templates with ids and paging', async () => {
    const { fake } = await rig();
    const phone = await call(fake, 'GET', `/v23.0/${PHONE_ID}`);
    expect(phone.json).toMatchObject({
      id: PHONE_ID,
      display_phone_number: '+51 1 555 0100',
      verified_name: 'Clínica de prueba',
      quality_rating: 'GREEN',
    });
    const page1 = await call(fake, 'GET', `/v23.0/${WABA_ID}/message_templates?fields=name,language,status&limit=2`);
    expect(page1.json.data).toHaveLength(2);
    expect(page1.json.data[0]).toEqual({
      name: 'resultado_listo',
      language: 'es_PE',
      status: 'APPROVED',
      id: expect.stringMatching(/^\d{15}$/),
    });
    expect(page1.json.paging.next).toContain('after=');
    const after = page1.json.paging.cursors.after as string;
    const rest = await call(fake, 'GET', `/v23.0/${WABA_ID}/message_templates?limit=10&after=${after}`);
    expect(rest.json.data.map((t: { name: string }) => t.name)).toEqual(['pausada', 'deshabilitada', 'pendiente']);
    expect(rest.json.data[0].components).toEqual([{ type: 'BODY', text: 'x' }]);
    expect(rest.json.paging.next).toBeUndefined();
  });
});

describe('fake Graph API: validation', () => {
  it('validates the common fields and text messages', async () => {
    const { fake } = await rig({ openWindows: [PATIENT] });
    const product = await send(fake, { messaging_product: 'sms', ...text() });
    expect(product.json.error).toMatchObject({ code: 100, error_data: { messaging_product: 'whatsapp' } });
    expect((await send(fake, { to: 'abc', ...text() })).json.error.code).toBe(100);
    expect((await send(fake, { type: 'carrier_pigeon' })).json.error.code).toBe(100);
    expect((await send(fake, { type: 'image', image: { link: 'https://x/y.png' } })).json.error.code).toBe(131051);
    expect((await send(fake, text(''))).json.error.code).toBe(131008);
    const long = await send(fake, text('a'.repeat(4097)));
    expect(long.status).toBe(400);
    expect(long.json.error.error_data.details).toContain('4096');
    expect((await send(fake, { ...text(), biz_opaque_callback_data: 'x'.repeat(513) })).json.error.code).toBe(100);
    expect((await send(fake, { to: '+51 1 555 0100', ...text() })).json.error.code).toBe(131021);
    expect(fake.accepted).toHaveLength(0);

    const ok = await send(fake, { to: `+${PATIENT}`, text: { body: 'type defaults to text' } });
    expect(ok.status).toBe(200);
    expect(ok.json.contacts).toEqual([{ input: `+${PATIENT}`, wa_id: PATIENT }]);
    expect(ok.json.messages[0].id).toMatch(/^wamid\.HBg[A-Za-z0-9+/=]+$/);
    expect(fake.accepted[0]).toMatchObject({ wamid: ok.json.messages[0].id, to: PATIENT, bizOpaque: null });
  });

  it('validates interactive reply buttons', async () => {
    const { fake } = await rig({ openWindows: [PATIENT] });
    const buttons = (...titles: string[]) => ({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: '¿Confirma su cita?' },
        action: { buttons: titles.map((t, i) => ({ type: 'reply', reply: { id: `b${i}`, title: t } })) },
      },
    });
    expect((await send(fake, buttons('a', 'b', 'c', 'd'))).json.error.code).toBe(131009);
    expect((await send(fake, buttons())).json.error.code).toBe(131009);
    expect((await send(fake, buttons('x'.repeat(21)))).json.error.code).toBe(131009);
    expect((await send(fake, buttons('Sí', 'Sí'))).json.error.code).toBe(131009);
    expect((await send(fake, buttons('Confirmar', 'Reprogramar', 'x'.repeat(20)))).status).toBe(200);
  });

  it('uploads media by multipart and sends documents only by issued id or link', async () => {
    const { fake } = await rig({ openWindows: [PATIENT] });
    const up = await upload(fake);
    expect(up.status).toBe(200);
    expect(up.json.id).toMatch(/^\d{16}$/);
    const stored = fake.media.get(up.json.id as string);
    expect(stored?.mime).toBe('application/pdf');
    expect(stored?.filename).toBe('resultado.pdf');
    expect(stored?.bytes.toString()).toBe('%PDF-1.4 resultado');
    expect((await upload(fake, { file: false })).json.error.code).toBe(100);
    expect((await upload(fake, { product: 'instagram' })).json.error.code).toBe(100);

    const unknown = await send(fake, { type: 'document', document: { id: '999', filename: 'r.pdf' } });
    expect(unknown.json.error.code).toBe(131053);
    expect((await send(fake, { type: 'document', document: { id: up.json.id, filename: 'r.pdf' } })).status).toBe(200);
    const byLink = await send(fake, { type: 'document', document: { link: 'https://clinica.example/r.pdf' } });
    expect(byLink.status).toBe(200);
  });

  it('validates templates against their approved definition', async () => {
    const { fake } = await rig();
    const mediaId = (await upload(fake)).json.id as string;
    const err = async (body: Record<string, unknown>) => (await send(fake, body)).json.error as Loose;

    expect((await err(templateBody({ name: 'no_existe' }, mediaId))).code).toBe(132001);
    const lang = await err(templateBody({ language: { code: 'es' } }, mediaId));
    const details = 'template name (resultado_listo) does not exist in es';
    expect(lang).toMatchObject({ code: 132001, error_data: { details } });
    const simple = (name: string) => ({ type: 'template', template: { name, language: { code: 'es' } } });
    expect((await err(simple('pausada'))).code).toBe(132015);
    expect((await err(simple('deshabilitada'))).code).toBe(132016);
    expect((await err(simple('pendiente'))).code).toBe(132001);
    expect((await err(simple('recordatorio'))).code).toBe(132000);

    const oneParam = templateBody({}, mediaId);
    (oneParam.template.components[1] as { parameters: unknown[] }).parameters.pop();
    const count = await err(oneParam);
    expect(count.code).toBe(132000);
    expect(count.error_data.details).toContain('(1) does not match the expected number of params (2)');

    const noHeader = templateBody({}, mediaId);
    noHeader.template.components.shift();
    expect(await err(noHeader)).toMatchObject({
      code: 132012,
      error_data: { details: 'header: Format mismatch, expected DOCUMENT, received UNKNOWN' },
    });
    expect((await err(templateBody({}, '4242'))).code).toBe(131053);

    const newline = templateBody({}, mediaId);
    (newline.template.components[1] as { parameters: { text: string }[] }).parameters[0]!.text = 'Ana\nMaría';
    expect((await err(newline)).code).toBe(132018);

    const ok = await send(fake, { ...templateBody({}, mediaId), biz_opaque_callback_data: 'avisa:msg-1' });
    expect(ok.status).toBe(200);
    expect(ok.json.messages[0].message_status).toBe('accepted');
    expect(fake.accepted).toHaveLength(1);
    expect(fake.accepted[0]?.bizOpaque).toBe('avisa:msg-1');
  });
});

describe('fake Graph API: throttling and injected failures', () => {
  it('answers 429 / 130429 past the throughput per second', async () => {
    const { fake } = await rig({ throughputPerSecond: 2, autoStatuses: false });
    const results = [];
    for (const to of ['51900000001', '51900000002', '51900000003']) {
      results.push(await send(fake, reminder(to)));
    }
    expect(results.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(results[2]?.json.error).toMatchObject({
      code: 130429,
      type: 'OAuthException',
      error_data: { messaging_product: 'whatsapp' },
    });
    fake.advanceClock(1000);
    expect((await send(fake, reminder('51900000004'))).status).toBe(200);
  });

  it('answers 400 / 131056 for a second message to the same recipient within the pair rate', async () => {
    const { fake } = await rig({ pairRateLimitMs: 6000, openWindows: [PATIENT, '51900000009'], autoStatuses: false });
    expect((await send(fake, text('uno'))).status).toBe(200);
    const second = await send(fake, text('dos'));
    expect(second.status).toBe(400);
    expect(second.json.error.code).toBe(131056);
    expect((await send(fake, { to: '51900000009', ...text() })).status).toBe(200);
    fake.advanceClock(6000);
    expect((await send(fake, text('tres'))).status).toBe(200);
  });

  it('fails the next calls as told, then behaves normally', async () => {
    const { fake } = await rig({ openWindows: [PATIENT], autoStatuses: false });
    fake.failNext({ httpStatus: 503, code: 131016, details: 'down' }, 2);
    const a = await send(fake, text());
    const b = await send(fake, text());
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(a.json.error).toMatchObject({
      code: 131016,
      message: '(#131016) Service unavailable',
      error_data: { details: 'down' },
    });
    expect((await send(fake, text())).status).toBe(200);
    fake.failNext({ httpStatus: 401, code: 190 });
    const token = await send(fake, text());
    expect(token.status).toBe(401);
    expect(token.json.error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 200, 401]);
  });
});

describe('fake Graph API: webhooks', () => {
  it('walks an accepted message through sent, delivered, read, signed, with the opaque data echoed', async () => {
    const { fake, receiver } = await rig({ openWindows: [PATIENT] });
    const res = await send(fake, { ...text(), biz_opaque_callback_data: 'avisa:42' });
    const wamid = res.json.messages[0].id as string;
    await fake.idle();
    expect(statuses(receiver).map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    for (const s of statuses(receiver)) {
      expect(s).toMatchObject({ id: wamid, recipient_id: PATIENT, biz_opaque_callback_data: 'avisa:42' });
      expect(s.timestamp).toMatch(/^\d{10}$/);
    }
    const pricing = { pricing_model: 'PMP', category: 'service', billable: false };
    expect(statuses(receiver)[0]?.pricing).toMatchObject(pricing);
    for (const r of receiver.received) {
      expect(signatureValid(r.raw, r.headers['x-hub-signature-256'])).toBe(true);
      expect(r.json.entry[0]?.id).toBe(WABA_ID);
      expect(r.json.entry[0]?.changes[0]?.field).toBe('messages');
      const metadata = { display_phone_number: '5115550100', phone_number_id: PHONE_ID };
      expect(r.json.entry[0]?.changes[0]?.value.metadata).toEqual(metadata);
    }
    expect(fake.webhookDeliveries.map((d) => d.status)).toEqual([200, 200, 200]);
  });

  it('fails free-form messages outside the 24-hour window with 131047 after answering 200', async () => {
    const { fake, receiver } = await rig();
    const res = await send(fake, { ...text(), biz_opaque_callback_data: 'avisa:7' });
    expect(res.status).toBe(200);
    await fake.idle();
    const all = statuses(receiver);
    expect(all.map((s) => s.status)).toEqual(['failed']);
    expect(all[0]).toMatchObject({
      biz_opaque_callback_data: 'avisa:7',
      errors: [{ code: 131047, title: 'Re-engagement message' }],
    });
    expect(all[0]?.errors[0].error_data.details).toMatch(/24 hours/);

    // The patient writes: the window opens; 24 hours later it is closed again.
    await fake.inbound({ from: PATIENT, text: 'hola' });
    await send(fake, text('dentro'));
    await fake.idle();
    expect(statuses(receiver).slice(1).map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    fake.advanceClock(24 * 60 * 60 * 1000);
    await send(fake, text('fuera'));
    await fake.idle();
    expect(statuses(receiver).at(-1)?.errors?.[0]?.code).toBe(131047);
  });

  it('fails messages to numbers not on WhatsApp with 131026 and no sent status', async () => {
    const { fake, receiver } = await rig({ notOnWhatsApp: ['51911111111'] });
    const res = await send(fake, reminder('51911111111'));
    expect(res.status).toBe(200);
    await fake.idle();
    expect(statuses(receiver).map((s) => [s.status, s.errors?.[0]?.code])).toEqual([['failed', 131026]]);
  });

  it('prices templates by category: utility is free only inside an open window', async () => {
    const { fake, receiver } = await rig({ autoStatuses: { readAfterMs: null } });
    await send(fake, reminder(PATIENT));
    await fake.idle();
    expect(statuses(receiver)[0]?.pricing).toEqual({
      billable: true,
      pricing_model: 'PMP',
      category: 'utility',
      type: 'regular',
    });
    await fake.inbound({ from: PATIENT, text: 'hola' });
    fake.advanceClock(6000);
    await send(fake, reminder(PATIENT));
    await fake.idle();
    expect(statuses(receiver).at(-1)?.pricing).toMatchObject({ billable: false, type: 'free_customer_service' });
  });

  it('fails documents sent by link with 131053 when links are set to fail', async () => {
    const { fake, receiver } = await rig({ openWindows: [PATIENT], mediaLinksFail: true });
    const res = await send(fake, { type: 'document', document: { link: 'https://clinica.example/r.pdf' } });
    expect(res.status).toBe(200);
    await fake.idle();
    expect(statuses(receiver).map((s) => [s.status, s.errors?.[0]?.code])).toEqual([['failed', 131053]]);
  });

  it('close() cancels webhooks still waiting and returns at once', async () => {
    const autoStatuses = { sentAfterMs: 60_000, deliveredAfterMs: 60_000, readAfterMs: null };
    const { fake, receiver } = await rig({ openWindows: [PATIENT], autoStatuses });
    await send(fake, text());
    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(receiver.received).toHaveLength(0);
  });

  it('posts inbound messages escaped as Meta does, signed over those bytes', async () => {
    const { fake, receiver } = await rig();
    const words = 'Sí, gracias / José 😀';
    await fake.inbound({ from: PATIENT, text: words, profileName: 'José Núñez', contextId: 'wamid.ABC' });
    await fake.inbound({ from: PATIENT, button: { payload: 'CONFIRM:apt-1', text: 'Confirmar' } });
    await fake.inbound({ from: PATIENT, buttonReply: { id: 'b0', title: 'Reprogramar' } });
    const [first, second, third] = receiver.received;
    const raw = first!.raw.toString('utf8');
    expect(raw).toContain('"S\\u00ed, gracias \\/ Jos\\u00e9 \\ud83d\\ude00"');
    expect(raw).toContain('"Jos\\u00e9 N\\u00fa\\u00f1ez"');
    expect(/[\u0080-\uffff]/.test(raw)).toBe(false);
    expect(signatureValid(first!.raw, first!.headers['x-hub-signature-256'])).toBe(true);
    // Re-serialising the parsed body gives other bytes, hence another signature: the trap Meta sets.
    expect(signatureValid(Buffer.from(JSON.stringify(first!.json)), first!.headers['x-hub-signature-256'])).toBe(false);
    const valueOf = (r: Received | undefined) => r!.json.entry[0]!.changes[0]!.value as Loose;
    expect(valueOf(first).contacts).toEqual([{ profile: { name: 'José Núñez' }, wa_id: PATIENT }]);
    expect(valueOf(first).messages[0]).toMatchObject({
      from: PATIENT,
      id: expect.stringMatching(/^wamid\./),
      timestamp: expect.stringMatching(/^\d{10}$/),
      type: 'text',
      text: { body: words },
      context: { from: '5115550100', id: 'wamid.ABC' },
    });
    expect(valueOf(second).messages[0]).toMatchObject({
      type: 'button',
      button: { payload: 'CONFIRM:apt-1', text: 'Confirmar' },
    });
    expect(valueOf(third).messages[0]).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'b0', title: 'Reprogramar' } },
    });
  });

  it('duplicates every status POST at duplicateRate 1, byte for byte', async () => {
    const autoStatuses = { duplicateRate: 1, readAfterMs: null };
    const { fake, receiver } = await rig({ openWindows: [PATIENT], autoStatuses });
    await send(fake, text());
    await fake.idle();
    expect(statuses(receiver).map((s) => s.status)).toEqual(['sent', 'sent', 'delivered', 'delivered']);
    expect(receiver.received[0]!.raw.equals(receiver.received[1]!.raw)).toBe(true);
  });

  it('posts read before delivered when reordering', async () => {
    const { fake, receiver } = await rig({ openWindows: [PATIENT], autoStatuses: { reorder: true } });
    await send(fake, text());
    await fake.idle();
    expect(statuses(receiver).map((s) => s.status)).toEqual(['sent', 'read', 'delivered']);
  });

  it('batches several statuses into one POST', async () => {
    const { fake, receiver } = await rig({
      openWindows: [PATIENT, '51900000009'],
      webhookBatchSize: 4,
      webhookBatchLingerMs: 5_000, // only a full batch is POSTed within the test
      autoStatuses: { sentAfterMs: 5, deliveredAfterMs: 6, readAfterMs: null },
    });
    const a = (await send(fake, text())).json.messages[0].id as string;
    const b = (await send(fake, { to: '51900000009', ...text() })).json.messages[0].id as string;
    await fake.idle();
    expect(receiver.received).toHaveLength(1);
    const batch = statuses(receiver);
    expect(batch).toHaveLength(4);
    expect(new Set(batch.map((s) => s.id))).toEqual(new Set([a, b]));
  });

  it('retries a webhook the receiver did not take, and parks it after three tries', async () => {
    const autoStatuses = { readAfterMs: null, deliveredAfterMs: 200 };
    const { fake, receiver } = await rig({ openWindows: [PATIENT], autoStatuses });
    receiver.answer = (_r, i) => (i < 2 ? 500 : 200);
    const wamid = (await send(fake, text())).json.messages[0].id as string;
    await fake.idle();
    expect(fake.webhookDeliveries.map((d) => d.status)).toEqual([500, 500, 200, 200]);
    expect(fake.parkedWebhooks).toHaveLength(0);

    receiver.answer = () => 503;
    await fake.status(wamid, 'read');
    expect(fake.webhookDeliveries.slice(4).map((d) => d.status)).toEqual([503, 503, 503]);
    expect(fake.parkedWebhooks).toHaveLength(1);
    receiver.answer = () => 200;
    await fake.redeliverParked();
    expect(fake.parkedWebhooks).toHaveLength(0);
    expect(statuses(receiver).at(-1)).toMatchObject({ id: wamid, status: 'read' });
  });

  it('holds webhooks while no URL is set and delivers them once it is', async () => {
    const receiver = await startReceiver();
    const fake = await startFakeGraph({
      accessToken: TOKEN,
      appSecret: SECRET,
      phoneNumberId: PHONE_ID,
      wabaId: WABA_ID,
      openWindows: [PATIENT],
    });
    fakes.push(fake);
    await send(fake, text());
    await fake.idle();
    expect(fake.parkedWebhooks).toHaveLength(3);
    fake.setWebhookUrl(receiver.url);
    await fake.idle();
    expect(statuses(receiver).map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('posts explicit statuses and failures for accepted messages', async () => {
    const { fake, receiver } = await rig({ openWindows: [PATIENT], autoStatuses: false });
    const wamid = (await send(fake, { ...text(), biz_opaque_callback_data: 'avisa:9' })).json.messages[0].id as string;
    await fake.idle();
    expect(receiver.received).toHaveLength(0);
    const title = 'Held for ecosystem health';
    await fake.status(wamid, 'failed', { errors: [{ code: 131049, title }], timestamp: 1750000000 });
    expect(statuses(receiver)).toEqual([
      {
        id: wamid,
        status: 'failed',
        timestamp: '1750000000',
        recipient_id: PATIENT,
        biz_opaque_callback_data: 'avisa:9',
        errors: [{ code: 131049, title, message: title, error_data: { details: title }, href: expect.any(String) }],
      },
    ]);
    await expect(fake.status('wamid.unknown', 'read')).rejects.toThrow(/no accepted message/);
  });

  it('posts arbitrary bodies with a valid, forged or missing signature', async () => {
    const { fake, receiver } = await rig();
    const body = { object: 'whatsapp_business_account', entry: [] };
    expect(await fake.postWebhook(body)).toBe(200);
    expect(await fake.postWebhook(body, 'forged')).toBe(401);
    expect(await fake.postWebhook(body, 'missing')).toBe(401);
    expect(receiver.received[2]?.headers['x-hub-signature-256']).toBeUndefined();
    expect(receiver.received[0]?.raw.toString()).toBe(metaJson(body));
    expect(fake.webhookDeliveries.map((d) => d.status)).toEqual([200, 401, 401]);
  });
});

describe('fake Graph API: webhook overrides', () => {
  /** A receiver that answers Meta's verification request with the challenge when the verify token is `token`. */
  async function verifyingReceiver(token: string) {
    const receiver = await startReceiver();
    const server = servers.at(-1)!;
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET') {
        const ok = url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === token;
        res.writeHead(ok ? 200 : 403).end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'Forbidden');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        receiver.received.push({ raw, headers: req.headers, json: JSON.parse(raw.toString('utf8')) as Received['json'] });
        res.writeHead(200).end();
      });
    });
    return receiver;
  }

  it('sets a phone-number override only after the address answers the handshake, then delivers there', async () => {
    const { fake, receiver: app } = await rig({ autoStatuses: false });
    const clinic = await verifyingReceiver('secreto');
    const wrong = await call(fake, 'POST', `/v23.0/${PHONE_ID}`, {
      webhook_configuration: { override_callback_uri: clinic.url, verify_token: 'otro' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ code: 2200, type: 'OAuthException' });
    expect(fake.overrides.phoneNumber).toBeNull();

    const right = await call(fake, 'POST', `/v23.0/${PHONE_ID}`, {
      webhook_configuration: { override_callback_uri: clinic.url, verify_token: 'secreto' },
    });
    expect(right).toMatchObject({ status: 200, json: { success: true } });
    expect(fake.verifications.map((v) => v.ok)).toEqual([false, true]);
    const described = await call(fake, 'GET', `/v23.0/${PHONE_ID}?fields=webhook_configuration`);
    expect(described.json.webhook_configuration).toMatchObject({ phone_number: clinic.url, application: app.url });

    await fake.inbound({ from: PATIENT, text: 'Hola' });
    await fake.idle();
    expect(clinic.received).toHaveLength(1);
    expect(app.received).toHaveLength(0);
  });

  it('holds webhooks until the app is subscribed to the WABA, and takes a WABA override with the subscription', async () => {
    const { fake, receiver: app } = await rig({ autoStatuses: false, appSubscribed: false });
    await fake.inbound({ from: PATIENT, text: 'Hola' });
    await fake.idle();
    expect(app.received).toHaveLength(0);
    expect(fake.parkedWebhooks).toHaveLength(1);
    const clinic = await verifyingReceiver('secreto');
    const set = await call(fake, 'POST', `/v23.0/${WABA_ID}/subscribed_apps`, { override_callback_uri: clinic.url, verify_token: 'secreto' });
    expect(set).toMatchObject({ status: 200, json: { success: true } });
    await fake.idle();
    expect(clinic.received).toHaveLength(1);
    const apps = await call(fake, 'GET', `/v23.0/${WABA_ID}/subscribed_apps`);
    expect(apps.json.data).toEqual([expect.objectContaining({ override_callback_uri: clinic.url })]);
  });
});
