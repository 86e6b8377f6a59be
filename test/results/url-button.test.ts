import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { urlButtonSuffix } from '../../src/main/core/channels/cloud-api/message-body';
import { contentFor } from '../../src/main/core/channels/linked-device/message-content';
import { portalLink, portalTemplateFor } from '../../src/main/core/documents/portal-link';
import { samplePdf } from '../documents/pdf-tools';
import { cloudRig, templates } from '../helpers/cloud';
import { tempDir } from '../helpers/temp';
import { makePki, PASSWORD } from './harness';

// A result's message on the Cloud API: document header, body parameters and a URL button whose {{1}} is the portal
// link's suffix, sent to the Graph fake, which validates buttons as Meta does. On the linked device the same link
// travels in the caption.

const portalTemplate = {
  name: 'resultado_portal',
  language: 'es',
  status: 'APPROVED' as const,
  category: 'UTILITY' as const,
  components: [
    { type: 'HEADER', format: 'DOCUMENT' },
    { type: 'BODY', text: 'Hola {{1}}, su resultado de {{2}} está listo.' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Ver en el portal', url: 'https://portal.clinica.pe/r/{{1}}' }] },
  ],
};

type Rig = Awaited<ReturnType<typeof cloudRig>>;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

async function resultRig(portalUrlTemplate: string): Promise<{ r: Rig; folder: string }> {
  const r = await cloudRig({ templates: [...templates, portalTemplate] });
  rigs.push(r);
  const pki = makePki();
  await r.call('certificate.install', { base64: pki.valid.toString('base64'), password: PASSWORD });
  const synced = await r.call('cloudApi.syncTemplates', {});
  expect(synced.find((t) => t.name === 'resultado_portal')).toMatchObject({
    urlButtonIndex: 0,
    urlButtonUrl: 'https://portal.clinica.pe/r/{{1}}',
  });
  const view = await r.call('settings.get', {});
  await r.call('settings.update', {
    results: { portalUrlTemplate, kinds: { result: { ...view.results.kinds.result, template: 'resultado_portal' } } },
  });
  const folder = tempDir('avisa-share-');
  await r.call('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
  return { r, folder };
}

async function dropResult(r: Rig, folder: string, documentNumber: string): Promise<void> {
  await r.call('patients.create', {
    firstNames: 'Ana María',
    lastNames: 'Quispe',
    documentType: 'DNI',
    documentNumber,
    phone: '987 654 321',
    consent: true,
  });
  writeFileSync(join(folder, `${documentNumber}_ACC100_resultado.pdf`), await samplePdf());
}

describe('URL button of a result template', () => {
  it('fills the button with the portal link of the signed result, beside the document header and body', async () => {
    const { r, folder } = await resultRig('https://portal.clinica.pe/r/{code}');
    await dropResult(r, folder, '41234567');
    await expect.poll(() => r.fake.accepted.length, { timeout: 20_000 }).toBe(1);
    const body = r.fake.accepted[0]?.body as {
      template: { name: string; components: { type: string; sub_type?: string; index?: string; parameters: Record<string, unknown>[] }[] };
    };
    expect(body.template.name).toBe('resultado_portal');
    const [header, params, button] = body.template.components;
    expect(header).toMatchObject({ type: 'header', parameters: [{ type: 'document', document: { filename: expect.stringMatching(/^Resultado_.*\.pdf$/) } }] });
    expect(params?.parameters).toEqual([
      { type: 'text', text: 'Ana' },
      { type: 'text', text: expect.any(String) },
    ]);
    expect(button).toMatchObject({ type: 'button', sub_type: 'url', index: '0' });
    const suffix = String(button?.parameters[0]?.text);
    // The suffix is the verification code of the signature the result carries: the portal opens that same item.
    const [result] = (await r.call('results.list', {})).rows;
    const message = (await r.call('messages.list', {})).rows.find((m) => m.kind === 'result');
    expect(message?.body).toContain(`Ábralo en el portal del paciente: https://portal.clinica.pe/r/${suffix}`);
    expect(result?.status).toMatch(/queued|sent/);
    expect(suffix).toMatch(/^[0-9A-F-]{8,}$/i);
  }, 60_000);

  it('fails with a reason to fix when the portal address does not start like the approved button', async () => {
    const { r, folder } = await resultRig('https://otro-portal.pe/ver/{code}');
    await dropResult(r, folder, '41234568');
    await expect
      .poll(async () => (await r.call('messages.list', {})).rows.find((m) => m.kind === 'result')?.state, { timeout: 20_000 })
      .toBe('failed');
    const message = (await r.call('messages.list', {})).rows.find((m) => m.kind === 'result');
    expect(message?.lastErrorCode).toBe('template_link');
    expect(message?.lastErrorReason).toContain('https://portal.clinica.pe/r/{{1}}');
    expect(r.fake.accepted).toHaveLength(0);
  }, 60_000);

  it('is refused by the Graph fake, as by Meta, when the dynamic button gets no parameter', async () => {
    const r = await cloudRig({ templates: [...templates, portalTemplate] });
    rigs.push(r);
    const response = await fetch(`${r.fake.url}/v23.0/1055/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer EAAtest-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '51987654321',
        type: 'template',
        template: {
          name: 'resultado_portal',
          language: { code: 'es' },
          components: [
            { type: 'header', parameters: [{ type: 'document', document: { link: 'https://x.pe/a.pdf', filename: 'a.pdf' } }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'Hemograma' }] },
          ],
        },
      }),
    });
    const answer = (await response.json()) as { error?: { code: number } };
    expect(answer.error?.code).toBe(131008);
  });
});

describe('portal and button links', () => {
  it('builds the portal link only when the item has what the template needs', () => {
    const item = { verificationCode: 'AB12-CD34', resultId: 7, accessionNumber: 'ACC 9' };
    expect(portalLink('https://portal.clinica.pe/r/{code}', item)).toBe('https://portal.clinica.pe/r/AB12-CD34');
    expect(portalLink('https://p.pe/{resultId}?a={accession}', item)).toBe('https://p.pe/7?a=ACC%209');
    expect(portalLink('https://portal.clinica.pe/r/{code}', { ...item, verificationCode: null })).toBeNull();
    expect(portalLink('', item)).toBeNull();
    expect(portalLink('https://portal.clinica.pe/', item)).toBeNull();
  });

  it('uses a site’s own portal before the clinic’s', () => {
    const s = { portalUrlTemplate: 'https://a.pe/{code}', portalUrlTemplates: { '2': 'https://b.pe/{code}' } };
    expect(portalTemplateFor(s, 2)).toBe('https://b.pe/{code}');
    expect(portalTemplateFor(s, 3)).toBe('https://a.pe/{code}');
    expect(portalTemplateFor(s, null)).toBe('https://a.pe/{code}');
  });

  it('sends the document with the link in its caption on the linked device', async () => {
    const pdf = await samplePdf();
    const content = await contentFor(
      {
        id: 1,
        kind: 'result',
        toPhone: '+51987654321',
        body: 'Hola Ana, su resultado «Hemograma» ya está disponible.\nÁbralo en el portal del paciente: https://portal.clinica.pe/r/AB12',
        templateName: 'resultado_portal',
        templateLanguage: 'es',
        templateParams: ['Ana', 'Hemograma'],
        document: { path: '/resultado.pdf', filename: 'Resultado_Hemograma.pdf' },
        buttons: [],
        linkUrl: 'https://portal.clinica.pe/r/AB12',
        asTemplate: false,
      },
      'es',
      async () => pdf,
    );
    expect(content).toMatchObject({ ok: true, content: { fileName: 'Resultado_Hemograma.pdf', caption: expect.stringContaining('https://portal.clinica.pe/r/AB12') } });
  });

  it('takes the suffix that the approved button URL leaves open', () => {
    expect(urlButtonSuffix('https://portal.clinica.pe/r/{{1}}', 'https://portal.clinica.pe/r/AB12')).toBe('AB12');
    expect(urlButtonSuffix('https://pacs.pe/viewer?StudyInstanceUIDs={{1}}', 'https://pacs.pe/viewer?StudyInstanceUIDs=1.2.3')).toBe('1.2.3');
    expect(urlButtonSuffix('https://portal.clinica.pe/r/{{1}}', 'https://otro.pe/r/AB12')).toBeNull();
    expect(urlButtonSuffix('https://portal.clinica.pe/r/{{1}}', 'https://portal.clinica.pe/r/')).toBeNull();
    expect(urlButtonSuffix('https://portal.clinica.pe/ayuda', 'https://portal.clinica.pe/r/AB12')).toBe('static');
  });
});
