/**
 * A faithful fake of Meta's WhatsApp Cloud API (Graph API) for Avisa's tests.
 *
 * It answers on 127.0.0.1 with Graph's JSON shapes, error envelopes and HTTP statuses, validates messages the way
 * Graph does for the four message types Avisa sends, throttles like the real service (throughput and pair rate), and
 * POSTs signed webhooks to Avisa's receiver the way Meta does: non-ASCII and '/' escaped, several statuses per POST,
 * sometimes twice, sometimes out of order, retried when not answered 200.
 *
 * Sections: types · error catalogue · ids and serialisation · message validation · throttling · webhook delivery ·
 * HTTP routing · startFakeGraph.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ───────────────────────────────────────────── types ─────────────────────────────────────────────

export interface FakeTemplate {
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
  category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  components: unknown[];
}

export interface AutoStatusOptions {
  sentAfterMs?: number;
  deliveredAfterMs?: number;
  /** null: the patient never reads it. */
  readAfterMs?: number | null;
  /** 0..1: share of status POSTs that are POSTed a second time, byte for byte. */
  duplicateRate?: number;
  /** Post `read` before `delivered` (Meta does not promise order). */
  reorder?: boolean;
}

export interface FakeGraphOptions {
  accessToken: string;
  appSecret: string;
  phoneNumberId: string;
  wabaId: string;
  apiVersion?: string;
  webhookUrl?: string;
  templates?: FakeTemplate[];
  latencyMs?: [number, number];
  /** Wait this long after accepting a request before answering it: Meta has the message, the client does not know yet. */
  responseDelayMs?: number;
  throughputPerSecond?: number;
  pairRateLimitMs?: number;
  notOnWhatsApp?: string[];
  autoStatuses?: false | AutoStatusOptions;
  webhookBatchSize?: number;
  // Additions beyond the brief:
  /** How long a partial batch of statuses waits for company before it is POSTed anyway (default 15 ms). */
  webhookBatchLingerMs?: number;
  /** Numbers (digits) whose 24-hour window is open from the start, as if they wrote an hour ago. */
  openWindows?: string[];
  /** Messages sent with `document.link` (or a header link) fail afterwards with 131053, as unreachable links do. */
  mediaLinksFail?: boolean;
  /** Seed for the choices made at random (duplicates), so a run can be repeated. */
  seed?: number;
  /** The fake's clock in ms (default Date.now); `advanceClock` moves it forward. */
  now?: () => number;
  displayPhoneNumber?: string; // default '+51 1 555 0100'
  /**
   * Whether the app starts subscribed to the WABA (default true, as if done once in the dashboard). Meta delivers a
   * WABA's webhooks only to apps subscribed to it (POST /{waba-id}/subscribed_apps); until then they are parked.
   */
  appSubscribed?: boolean;
}

export interface AcceptedMessage {
  wamid: string;
  to: string;
  body: Record<string, unknown>;
  bizOpaque: string | null;
  at: number;
}

export interface StatusError {
  code: number;
  title: string;
  message?: string;
  details?: string;
}

export interface FakeGraph {
  readonly url: string;
  readonly accepted: AcceptedMessage[];
  readonly requests: { method: string; path: string; status: number; errorCode?: number }[];
  readonly media: Map<string, { mime: string; filename: string; bytes: Buffer }>;
  readonly webhookDeliveries: { body: string; status: number }[];
  setWebhookUrl(url: string): void;
  failNext(
    error: { httpStatus: number; code: number; message?: string; subcode?: number; details?: string },
    count?: number,
  ): void;
  inbound(msg: {
    from: string;
    id?: string;
    text?: string;
    button?: { payload: string; text: string };
    buttonReply?: { id: string; title: string };
    contextId?: string;
    profileName?: string;
  }): Promise<void>;
  status(
    wamid: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    opts?: { errors?: StatusError[]; timestamp?: number },
  ): Promise<void>;
  postWebhook(body: string | object, signature?: 'valid' | 'forged' | 'missing'): Promise<number>;
  idle(): Promise<void>;
  close(): Promise<void>;
  // Additions beyond the brief:
  /** Move the fake's clock forward (24-hour windows, pair rate, throughput, webhook timestamps). */
  advanceClock(ms: number): void;
  /** From now on every call answers 190 / subcode 463 "Session has expired", like a lapsed token. */
  expireToken(): void;
  /** Accept a new token (and forget an expiry), like rotating the system-user token. */
  setAccessToken(token: string): void;
  /** Webhooks never answered 200 after every try (or held while no webhook URL was set). */
  readonly parkedWebhooks: readonly string[];
  /** Try the parked webhooks again, as Meta keeps retrying for days. setWebhookUrl does this too. */
  redeliverParked(): Promise<void>;
  /**
   * Holds the next request whose path ends with `edge` before Meta looks at it, as a slow network does: `arrived`
   * resolves when it is held, `release` lets it through.
   */
  hold(edge: string): { arrived: Promise<void>; release(): void };
  /** Meta accepts the next message, then the connection breaks before the answer reaches the client. */
  dropNextAnswer(): void;
  /** The most requests the fake was answering at the same moment (how many a client kept in flight). */
  readonly peakConcurrency: number;
  /**
   * The webhook overrides set through the API (Meta's "Webhook overrides"): the phone number's, the WABA's, and
   * whether the app is subscribed to the WABA. Deliveries go to the phone's, else the WABA's, else the app's URL.
   */
  readonly overrides: { phoneNumber: string | null; waba: string | null; subscribed: boolean };
  /** Every verification GET the fake made before accepting an override: where, and what it was answered. */
  readonly verifications: { url: string; status: number; ok: boolean }[];
}

// ──────────────────────────────────────── error catalogue ────────────────────────────────────────

/** Titles Meta gives each code; a sync error's message is "(#code) title", a status error carries the title. */
const TITLES: Record<number, string> = {
  1: 'An unknown error occurred',
  2: 'Service temporarily unavailable',
  4: 'Application request limit reached',
  100: 'Invalid parameter',
  80007: 'Rate limit issues',
  130429: 'Rate limit hit',
  131000: 'Something went wrong',
  131008: 'Required parameter is missing',
  131009: 'Parameter value is not valid',
  131016: 'Service unavailable',
  131021: 'Recipient cannot be sender',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131048: 'Spam rate limit hit',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
  131051: 'Unsupported message type',
  131053: 'Media upload error',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  131057: 'Account in maintenance mode',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132005: 'Translated text too long',
  132007: 'Template Format Character Policy Violated',
  132012: 'Parameter format does not match format in the created template',
  132015: 'Template is Paused',
  132016: 'Template is Disabled',
  132018: 'There was an issue with the parameters in your template.',
};
const ERROR_CODES_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';
const TRANSIENT_CODES = new Set([1, 2, 4]);

interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_data?: { messaging_product: 'whatsapp'; details: string };
  is_transient?: boolean;
}

class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: GraphErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

/** A WhatsApp error as /messages and /media answer it: "(#code) title", OAuthException, with error_data. */
function waError(
  code: number,
  details: string,
  opts: { httpStatus?: number; message?: string; subcode?: number } = {},
): GraphError {
  const title = TITLES[code] ?? 'Something went wrong';
  const body: GraphErrorBody = {
    message: opts.message ?? `(#${code}) ${title}`,
    type: 'OAuthException',
    code,
    error_data: { messaging_product: 'whatsapp', details },
  };
  if (opts.subcode !== undefined) body.error_subcode = opts.subcode;
  if (TRANSIENT_CODES.has(code)) body.is_transient = true;
  return new GraphError(opts.httpStatus ?? 400, body);
}

/** "(#100) The parameter X is required." — Graph's wording for a missing parameter. */
const missing = (param: string) =>
  waError(100, `The parameter ${param} is required.`, { message: `(#100) The parameter ${param} is required.` });
const invalid = (details: string) => waError(100, details);

/** Token errors are plain Graph errors: no error_data, and a WWW-Authenticate header. */
function tokenError(kind: 'missing' | 'invalid' | 'expired'): GraphError {
  const body: GraphErrorBody =
    kind === 'missing'
      ? { message: 'An access token is required to request this resource.', type: 'OAuthException', code: 104 }
      : kind === 'invalid'
        ? { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 }
        : {
            message: 'Error validating access token: Session has expired on Tuesday, 01-Jul-25 10:00:00 PDT.',
            type: 'OAuthException',
            code: 190,
            error_subcode: 463,
          };
  return new GraphError(401, body, {
    'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${body.message}"`,
  });
}

/** Graph's answer to an id it does not know, or a method an object does not support. */
function unsupportedRequest(method: string, id: string): GraphError {
  return new GraphError(400, {
    message:
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to ` +
      'missing permissions, or does not support this operation. Please read the Graph API documentation at ' +
      'https://developers.facebook.com/docs/graph-api',
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  });
}

/** Graph's answer to an edge (or a version) it does not know. Real Graph uses code 2500 here. */
function unknownPath(rest: string): GraphError {
  return new GraphError(400, { message: `Unknown path components: ${rest}`, type: 'OAuthException', code: 2500 });
}

// ─────────────────────────────────── ids and serialisation ───────────────────────────────────

/** A wamid shaped like Meta's: base64 of a small protobuf carrying the recipient and a random hex id. */
function newWamid(digits: string): string {
  const hex = Buffer.from(randomBytes(9).toString('hex').toUpperCase(), 'ascii');
  const phone = Buffer.from(digits, 'ascii');
  const raw = Buffer.concat([
    Buffer.from([0x1c, 0x18, phone.length]),
    phone,
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, hex.length]),
    hex,
    Buffer.from([0x00]),
  ]);
  return `wamid.${raw.toString('base64')}`;
}

function randomDigits(length: number): string {
  let out = String(1 + (randomBytes(1)[0]! % 9));
  while (out.length < length) out += String(randomBytes(1)[0]! % 10);
  return out;
}

/** Graph's trace ids: 11 base64url-ish characters. */
const newTraceId = () => randomBytes(9).toString('base64').replace(/[+/]/g, 'A').slice(0, 11);

/**
 * Serialise as Meta does: JSON with every non-ASCII UTF-16 unit escaped as \uXXXX and '/' escaped as '\/'.
 * The signature is over these exact bytes, so a receiver that re-serialises the parsed JSON fails the check.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The X-Hub-Signature-256 value Meta sends for `body`. */
export function signBody(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Small seeded PRNG (mulberry32), so duplicate choices can be reproduced with `seed`. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const digitsOf = (phone: string) => phone.replace(/\D/g, '');

// ────────────────────────────────────── message validation ──────────────────────────────────────

interface ValidationContext {
  templates: FakeTemplate[];
  media: Map<string, unknown>;
  businessDigits: string;
}

/** What a valid send turns into: who it is for, and what Meta will do with it afterwards. */
interface SendPlan {
  toInput: string;
  waId: string;
  type: 'text' | 'template' | 'document' | 'interactive';
  template?: FakeTemplate;
  usesLink: boolean;
  bizOpaque: string | null;
}

const MODELLED_TYPES = ['text', 'template', 'document', 'interactive'] as const;
const OTHER_WA_TYPES = ['audio', 'contacts', 'image', 'location', 'reaction', 'sticker', 'video'];

/** Validate a /messages body as Graph does; throws the GraphError Graph would answer with. */
function validateSend(body: Json, ctx: ValidationContext): SendPlan {
  if (body.messaging_product === undefined) throw missing('messaging_product');
  if (body.messaging_product !== 'whatsapp') {
    throw invalid(`Param messaging_product must be one of {WHATSAPP} - got "${String(body.messaging_product)}".`);
  }
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual' && body.recipient_type !== 'group') {
    throw invalid('Param recipient_type must be one of {INDIVIDUAL, GROUP}.');
  }
  if (body.to === undefined) throw missing('to');
  // Graph tolerates a leading '+' and formatting; wa_id comes back as bare digits.
  if (typeof body.to !== 'string' || !/^\+?[\d\s()-]+$/.test(body.to) || !/^\d{7,15}$/.test(digitsOf(body.to))) {
    throw invalid('Param to must be a valid phone number.');
  }
  const waId = digitsOf(body.to);
  if (waId === ctx.businessDigits) throw waError(131021, 'Recipient phone number cannot be the sender phone number.');

  const bizOpaque = body.biz_opaque_callback_data;
  if (bizOpaque !== undefined && (typeof bizOpaque !== 'string' || bizOpaque.length > 512)) {
    throw invalid('Param biz_opaque_callback_data must be a string of at most 512 characters.');
  }
  if (body.context !== undefined && typeof asObject(body.context)?.message_id !== 'string') {
    throw missing("context['message_id']");
  }

  const type = body.type ?? 'text'; // Graph defaults the type to text
  if (typeof type !== 'string' || ![...MODELLED_TYPES, ...OTHER_WA_TYPES].includes(type)) {
    throw invalid(`Param type must be one of {${[...MODELLED_TYPES, ...OTHER_WA_TYPES].join(', ').toUpperCase()}}.`);
  }
  if (!(MODELLED_TYPES as readonly string[]).includes(type)) {
    // Real Graph accepts these; the fake does not model them, so a test using one learns it at once.
    throw waError(131051, `Message type ${type} is not modelled by the fake Graph API.`);
  }
  const plan: SendPlan = {
    toInput: body.to,
    waId,
    type: type as SendPlan['type'],
    usesLink: false,
    bizOpaque: typeof bizOpaque === 'string' ? bizOpaque : null,
  };
  switch (plan.type) {
    case 'text':
      validateText(body.text);
      break;
    case 'document':
      plan.usesLink = validateMediaObject('document', body.document, ctx);
      break;
    case 'interactive':
      validateInteractive(body.interactive);
      break;
    case 'template': {
      const { template, usesLink } = validateTemplate(body.template, ctx);
      plan.template = template;
      plan.usesLink = usesLink;
      break;
    }
  }
  return plan;
}

function validateText(text: unknown): void {
  const t = asObject(text);
  if (!t || t.body === undefined) throw missing("text['body']");
  if (typeof t.body !== 'string' || t.body.trim() === '') {
    throw waError(131008, "Param text['body'] must not be empty.");
  }
  if (t.body.length > 4096) throw invalid("Param text['body'] must be at most 4096 characters long.");
  if (t.preview_url !== undefined && typeof t.preview_url !== 'boolean') {
    throw invalid("Param text['preview_url'] must be a boolean.");
  }
}

/** A document (message or template header) by uploaded id or by link. Returns whether it is a link. */
function validateMediaObject(kind: string, value: unknown, ctx: ValidationContext): boolean {
  const m = asObject(value);
  if (!m) throw waError(131008, `Parameter '${kind}' is required.`);
  const hasId = m.id !== undefined;
  const hasLink = m.link !== undefined;
  if (hasId === hasLink) throw invalid(`Param ${kind} must contain exactly one of id or link.`);
  if (hasId && (typeof m.id !== 'string' || !ctx.media.has(m.id))) {
    throw waError(131053, `Unable to retrieve media: ${kind} id ${String(m.id)} is not a valid media id.`);
  }
  if (hasLink && (typeof m.link !== 'string' || !/^https?:\/\/\S+$/.test(m.link))) {
    throw invalid(`Param ${kind}['link'] must be a valid URL.`);
  }
  if (m.filename !== undefined && typeof m.filename !== 'string') {
    throw invalid(`Param ${kind}['filename'] must be a string.`);
  }
  if (m.caption !== undefined && (typeof m.caption !== 'string' || m.caption.length > 1024)) {
    throw invalid(`Param ${kind}['caption'] must be a string of at most 1024 characters.`);
  }
  return hasLink;
}

function validateInteractive(value: unknown): void {
  const i = asObject(value);
  if (!i) throw missing('interactive');
  if (i.type !== 'button') {
    // list, cta_url, flow … exist in Graph but Avisa sends only reply buttons.
    throw waError(131009, `Interactive type ${String(i.type)} is not modelled by the fake Graph API.`);
  }
  const bodyText = asObject(i.body)?.text;
  if (typeof bodyText !== 'string' || bodyText === '') {
    throw waError(131008, "Param interactive['body']['text'] is required.");
  }
  if (bodyText.length > 1024) {
    throw waError(131009, "Param interactive['body']['text'] must be at most 1024 characters long.");
  }
  const buttons = asObject(i.action)?.buttons;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
    throw waError(131009, "Param interactive['action']['buttons'] must contain at least 1 and at most 3 elements.");
  }
  const ids = new Set<string>();
  const titles = new Set<string>();
  for (const b of buttons) {
    const reply = asObject(asObject(b)?.reply);
    if (asObject(b)?.type !== 'reply' || !reply) throw waError(131009, "Button type must be 'reply'.");
    const { id, title } = reply;
    if (typeof title !== 'string' || title.length < 1 || title.length > 20) {
      throw waError(131009, 'Button title length invalid. Min length: 1, Max length: 20');
    }
    if (typeof id !== 'string' || id.length < 1 || id.length > 256) {
      throw waError(131009, 'Button id length invalid. Min length: 1, Max length: 256');
    }
    if (ids.has(id)) throw waError(131009, 'Buttons must have unique ids.');
    if (titles.has(title)) throw waError(131009, 'Buttons must have unique titles.');
    ids.add(id);
    titles.add(title);
  }
}

/** Distinct {{n}} placeholders in a template text. */
function placeholderCount(text: unknown): number {
  if (typeof text !== 'string') return 0;
  return new Set([...text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => m[1])).size;
}

function templateComponent(t: FakeTemplate, type: string): Json | undefined {
  return t.components.map(asObject).find((c) => String(c?.type).toUpperCase() === type);
}

/** Template sends: existence, language, status, then each component against the approved definition. */
function validateTemplate(value: unknown, ctx: ValidationContext): { template: FakeTemplate; usesLink: boolean } {
  const t = asObject(value);
  if (!t) throw missing('template');
  if (typeof t.name !== 'string' || t.name === '') throw missing("template['name']");
  const code = asObject(t.language)?.code;
  if (typeof code !== 'string' || code === '') throw missing("template['language']['code']");
  const template = ctx.templates.find((x) => x.name === t.name && x.language === code);
  if (!template) throw waError(132001, `template name (${t.name}) does not exist in ${code}`);
  if (template.status === 'PAUSED') throw waError(132015, `Template ${t.name} is paused due to low quality.`);
  if (template.status === 'DISABLED') throw waError(132016, `Template ${t.name} has been disabled due to low quality.`);
  if (template.status !== 'APPROVED') throw waError(132001, `template name (${t.name}) does not exist in ${code}`);

  const sent = t.components === undefined ? [] : t.components;
  if (!Array.isArray(sent)) throw invalid("Param template['components'] must be an array.");
  const byType = (type: string) => sent.map(asObject).filter((c) => String(c?.type).toLowerCase() === type);
  for (const c of sent) {
    const type = String(asObject(c)?.type).toLowerCase();
    if (!['header', 'body', 'button', 'footer'].includes(type)) {
      throw invalid(`Param template['components'][type] must be one of {HEADER, BODY, BUTTON, FOOTER}.`);
    }
  }
  const usesLink = validateHeader(template, byType('header')[0], ctx);
  validateTextParams('body', templateComponent(template, 'BODY')?.text, byType('body')[0]);
  validateButtons(template, byType('button'));
  return { template, usesLink };
}

function paramsOf(component: Json | undefined): Json[] {
  const p = component?.parameters;
  return Array.isArray(p) ? p.map((x) => asObject(x) ?? {}) : [];
}

/** Text parameters: the count must match the placeholders, and each value must be a clean, non-empty string. */
function validateTextParams(where: 'header' | 'body', templateText: unknown, sent: Json | undefined): void {
  const expected = placeholderCount(templateText);
  const params = paramsOf(sent);
  if (params.length !== expected) {
    throw waError(
      132000,
      `${where}: number of localizable_params (${params.length}) does not match ` +
        `the expected number of params (${expected})`,
    );
  }
  for (const p of params) {
    if (p.type === 'currency' || p.type === 'date_time') continue;
    if (p.type !== 'text') {
      throw waError(132012, `${where}: Format mismatch, expected TEXT, received ${String(p.type).toUpperCase()}`);
    }
    if (typeof p.text !== 'string' || p.text === '') {
      throw waError(131008, 'Parameter of type text is missing text value');
    }
    // Meta rejects line breaks, tabs and long runs of spaces inside a parameter.
    if (/[\n\t]| {5,}/.test(p.text)) {
      throw waError(132018, 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces');
    }
  }
}

function validateHeader(template: FakeTemplate, sent: Json | undefined, ctx: ValidationContext): boolean {
  const header = templateComponent(template, 'HEADER');
  const format = String(header?.format ?? 'TEXT').toUpperCase();
  if (!header) {
    if (sent) {
      throw waError(132000, 'header: number of localizable_params (1) does not match the expected number of params (0)');
    }
    return false;
  }
  if (format === 'TEXT') {
    validateTextParams('header', header.text, sent);
    return false;
  }
  // A media header (DOCUMENT, IMAGE, VIDEO) needs the media at send time.
  const param = paramsOf(sent)[0];
  const kind = format.toLowerCase();
  if (!param || param.type !== kind) {
    const received = param ? String(param.type).toUpperCase() : 'UNKNOWN';
    throw waError(132012, `header: Format mismatch, expected ${format}, received ${received}`);
  }
  return validateMediaObject(kind, param[kind], ctx);
}

function validateButtons(template: FakeTemplate, sent: (Json | undefined)[]): void {
  const defined = templateComponent(template, 'BUTTONS')?.buttons;
  const buttons = Array.isArray(defined) ? defined.map((b) => asObject(b) ?? {}) : [];
  const given = new Map<number, Json>();
  for (const c of sent) {
    const index = Number(c?.index);
    const def = buttons[index];
    if (!c || !Number.isInteger(index) || !def) {
      throw waError(131009, `buttons: Button at index ${String(c?.index)} does not exist`);
    }
    const expected = String(def.type).toLowerCase();
    if (String(c.sub_type).toLowerCase() !== expected) {
      const got = String(c.sub_type);
      throw waError(131009, `buttons: Button at index ${index} is of type ${String(def.type)}, got sub_type ${got}`);
    }
    const p = paramsOf(c)[0];
    if (expected === 'quick_reply' && (p?.type !== 'payload' || typeof p.payload !== 'string')) {
      throw waError(131008, `buttons: Button at index ${index} of type QuickReply requires a payload parameter`);
    }
    if (expected === 'url' && (p?.type !== 'text' || typeof p.text !== 'string' || p.text === '')) {
      throw waError(131008, `buttons: Button at index ${index} of type Url requires a text parameter`);
    }
    given.set(index, c);
  }
  // A URL button with a {{1}} suffix cannot be sent without its parameter.
  buttons.forEach((def, index) => {
    if (String(def.type).toUpperCase() === 'URL' && placeholderCount(def.url) > 0 && !given.has(index)) {
      throw waError(131008, `buttons: Button at index ${index} of type Url requires a parameter`);
    }
  });
}

// ───────────────────────────────────────── throttling ─────────────────────────────────────────

/** Per-number throughput (sliding second) and per-recipient pair rate, on the fake's clock. */
class Throttle {
  private recent: number[] = [];
  private lastTo = new Map<string, number>();

  constructor(
    private readonly perSecond: number,
    private readonly pairGapMs: number,
  ) {}

  check(to: string, now: number): void {
    this.recent = this.recent.filter((t) => now - t < 1000);
    if (this.recent.length >= this.perSecond) {
      throw waError(130429, 'Cloud API message throughput has been reached.', { httpStatus: 429 });
    }
    const last = this.lastTo.get(to);
    if (this.pairGapMs > 0 && last !== undefined && now - last < this.pairGapMs) {
      throw waError(
        131056,
        'Message failed to send because there were too many messages sent from this phone number to the same ' +
          'phone number in a short period of time.',
      );
    }
  }

  record(to: string, now: number): void {
    this.recent.push(now);
    this.lastTo.set(to, now);
  }
}

// ─────────────────────────────────────── webhook delivery ───────────────────────────────────────

/** Keeps every timer and delivery in flight, so idle() can wait for them and close() can cancel them. */
class Tracker {
  closed = false;
  private pending = new Set<Promise<unknown>>();
  private timers = new Set<{ handle: NodeJS.Timeout; resolve: () => void }>();

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  delay(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.track(
      new Promise<void>((resolve) => {
        const entry = {
          handle: setTimeout(() => {
            this.timers.delete(entry);
            resolve();
          }, ms),
          resolve,
        };
        this.timers.add(entry);
      }),
    );
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t.handle);
      t.resolve();
    }
    this.timers.clear();
  }
}

const WEBHOOK_TRIES = 3;
const WEBHOOK_BACKOFF_MS = 50;

/**
 * POSTs webhooks one at a time, in the order they were queued (so disorder comes only from `reorder`, as
 * configured), retrying those not answered 200 and parking those that never are.
 */
class WebhookSender {
  readonly deliveries: { body: string; status: number }[] = [];
  readonly parked: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private batch: Json[] = [];
  private lingering = false;

  constructor(
    private readonly cfg: {
      url: () => string | undefined;
      appSecret: string;
      tracker: Tracker;
      batchSize: number;
      lingerMs: number;
      duplicateRate: number;
      random: () => number;
      envelope: (value: Json) => Json;
      metadata: () => Json;
    },
  ) {}

  /** Queue a status; it is POSTed with others once the batch is full or has lingered briefly. */
  queueStatus(status: Json): void {
    this.batch.push(status);
    if (this.batch.length >= this.cfg.batchSize) return this.flush();
    if (!this.lingering) {
      this.lingering = true;
      this.cfg.tracker.track(this.cfg.tracker.delay(this.cfg.lingerMs).then(() => this.flush()));
    }
  }

  private flush(): void {
    this.lingering = false;
    const statuses = this.batch.splice(0);
    if (statuses.length === 0 || this.cfg.tracker.closed) return;
    const body = metaJson(this.cfg.envelope({ ...this.cfg.metadata(), statuses }));
    void this.send(body);
    // At-least-once delivery: Meta sometimes POSTs the very same bytes again.
    if (this.cfg.random() < this.cfg.duplicateRate) void this.send(body);
  }

  /** POST through the ordered queue with retries; resolves once answered 200 or parked. */
  send(body: string): Promise<void> {
    const attempt = this.chain.then(() => this.deliverWithRetries(body));
    this.chain = attempt.catch(() => undefined);
    return this.cfg.tracker.track(attempt);
  }

  private async deliverWithRetries(body: string): Promise<void> {
    if (!this.cfg.url()) {
      this.parked.push(body); // nowhere to send yet: held, as Meta keeps retrying an unreachable endpoint
      return;
    }
    for (let attempt = 1; attempt <= WEBHOOK_TRIES; attempt++) {
      if (this.cfg.tracker.closed) return;
      const status = await this.post(body, 'valid');
      if (status === 200) return;
      if (attempt < WEBHOOK_TRIES) await this.cfg.tracker.delay(WEBHOOK_BACKOFF_MS * attempt);
    }
    this.parked.push(body);
  }

  /** One POST, recorded; 0 when the receiver could not be reached. */
  async post(body: string, signature: 'valid' | 'forged' | 'missing'): Promise<number> {
    const url = this.cfg.url();
    const status = url ? await postSigned(url, body, this.cfg.appSecret, signature) : 0;
    this.deliveries.push({ body, status });
    return status;
  }
}

/** POST like Meta's webhook client: JSON, both signature headers, no keep-alive. */
function postSigned(
  url: string,
  body: string,
  appSecret: string,
  signature: 'valid' | 'forged' | 'missing',
): Promise<number> {
  const bytes = Buffer.from(body, 'utf8');
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': bytes.length,
    'user-agent': 'facebookexternalua',
    connection: 'close',
  };
  if (signature !== 'missing') {
    const secret = signature === 'valid' ? appSecret : `${appSecret}-forged`;
    headers['x-hub-signature-256'] = signBody(bytes, secret);
    headers['x-hub-signature'] = `sha1=${createHmac('sha1', secret).update(bytes).digest('hex')}`;
  }
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(bytes);
  });
}

// ───────────────────────────────────────── HTTP routing ─────────────────────────────────────────

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const body = metaJson(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
    'x-fb-trace-id': newTraceId(),
    ...headers,
  });
  res.end(body);
}

/** Mime types Cloud API accepts for upload, with its size limits. */
const MEDIA_LIMITS: Record<string, number> = {
  'application/pdf': 100 * 2 ** 20,
  'text/plain': 100 * 2 ** 20,
  'application/msword': 100 * 2 ** 20,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * 2 ** 20,
  'application/vnd.ms-excel': 100 * 2 ** 20,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * 2 ** 20,
  'application/vnd.ms-powerpoint': 100 * 2 ** 20,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * 2 ** 20,
  'image/jpeg': 5 * 2 ** 20,
  'image/png': 5 * 2 ** 20,
  'image/webp': 500 * 2 ** 10,
  'audio/aac': 16 * 2 ** 20,
  'audio/mp4': 16 * 2 ** 20,
  'audio/mpeg': 16 * 2 ** 20,
  'audio/amr': 16 * 2 ** 20,
  'audio/ogg': 16 * 2 ** 20,
  'video/mp4': 16 * 2 ** 20,
  'video/3gpp': 16 * 2 ** 20,
};

/** Parse a multipart upload with the WHATWG parser built into Node. */
async function parseUpload(req: IncomingMessage, raw: Buffer) {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) throw missing('messaging_product');
  let form: FormData;
  try {
    const request = new Request('http://fake.invalid/upload', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: Uint8Array.from(raw),
    });
    form = await request.formData();
  } catch {
    throw invalid('The request body is not valid multipart/form-data.');
  }
  const product = form.get('messaging_product');
  if (product === null) throw missing('messaging_product');
  if (product !== 'whatsapp') {
    throw invalid(`Param messaging_product must be one of {WHATSAPP} - got "${String(product)}".`);
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') throw missing('file');
  const declared = form.get('type');
  const declaredOrFile = typeof declared === 'string' && declared !== '' ? declared : file.type;
  const mime = declaredOrFile.split(';')[0]!.trim().toLowerCase();
  const limit = MEDIA_LIMITS[mime];
  if (limit === undefined) {
    const allowed = Object.keys(MEDIA_LIMITS).join(', ');
    throw waError(131053, `Param file must be a file with one of the following types: ${allowed}. Received '${mime}'.`);
  }
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.length === 0) throw waError(131053, 'Uploaded file is empty.');
  if (bytes.length > limit) {
    throw waError(131053, `File size ${bytes.length} is over the ${limit} bytes allowed for ${mime}.`);
  }
  return { mime, filename: file.name, bytes };
}

// ──────────────────────────────────────── startFakeGraph ────────────────────────────────────────

interface SentRecord {
  waId: string;
  bizOpaque: string | null;
  category: string; // pricing category: utility, marketing, authentication, service
  free: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TEMPLATE_FIELDS = ['name', 'language', 'status', 'category', 'components', 'parameter_format'];

export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
  const version = options.apiVersion ?? 'v23.0';
  const templates = options.templates ?? [];
  const displayPhone = options.displayPhoneNumber ?? '+51 1 555 0100';
  const businessDigits = digitsOf(displayPhone);
  const auto: AutoStatusOptions | false = options.autoStatuses === false ? false : (options.autoStatuses ?? {});
  const notOnWhatsApp = new Set((options.notOnWhatsApp ?? []).map(digitsOf));
  const [latencyMin, latencyMax] = options.latencyMs ?? [0, 0];
  const random = prng(options.seed ?? randomBytes(4).readUInt32LE(0));

  let clockOffset = 0;
  const now = () => (options.now ?? Date.now)() + clockOffset;
  const unixNow = () => Math.floor(now() / 1000);
  let accessToken = options.accessToken;
  let tokenExpired = false;
  let webhookUrl = options.webhookUrl;
  const overrides = { phoneNumber: null as string | null, waba: null as string | null, subscribed: options.appSubscribed ?? true };
  const verifications: FakeGraph['verifications'] = [];
  // Meta's order: the phone number's override, then the WABA's, then the app's callback URL; nothing when the app is
  // not subscribed to the WABA.
  const deliveryUrl = () => (overrides.subscribed ? (overrides.phoneNumber ?? overrides.waba ?? webhookUrl) : undefined);

  const accepted: AcceptedMessage[] = [];
  const requests: FakeGraph['requests'] = [];
  const media = new Map<string, { mime: string; filename: string; bytes: Buffer }>();
  const sentMessages = new Map<string, SentRecord>();
  const lastInbound = new Map<string, number>();
  for (const n of options.openWindows ?? []) lastInbound.set(digitsOf(n), now() - 60 * 60 * 1000);
  const holds: { edge: string; arrived: () => void; released: Promise<void> }[] = [];
  let dropAnswers = 0;
  const failQueue: { error: Parameters<FakeGraph['failNext']>[0]; remaining: number }[] = [];
  const throttle = new Throttle(options.throughputPerSecond ?? Infinity, options.pairRateLimitMs ?? 0);
  // Stable numeric ids, like Graph's, derived from name and language.
  const templateId = (t: FakeTemplate) =>
    `1${digitsOf(createHash('sha256').update(`${t.name}/${t.language}`).digest('hex'))}`.padEnd(15, '7').slice(0, 15);

  const tracker = new Tracker();
  const metadata = () => ({
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: businessDigits, phone_number_id: options.phoneNumberId },
  });
  const envelope = (value: Json): Json => ({
    object: 'whatsapp_business_account',
    entry: [{ id: options.wabaId, changes: [{ value, field: 'messages' }] }],
  });
  const sender = new WebhookSender({
    url: deliveryUrl,
    appSecret: options.appSecret,
    tracker,
    batchSize: Math.max(1, options.webhookBatchSize ?? 1),
    lingerMs: options.webhookBatchLingerMs ?? 15,
    duplicateRate: auto === false ? 0 : (auto.duplicateRate ?? 0),
    random,
    envelope,
    metadata,
  });

  const windowOpen = (waId: string) => {
    const last = lastInbound.get(waId);
    return last !== undefined && now() - last < DAY_MS;
  };

  /** A status object as Meta writes it; pricing rides on sent and delivered. */
  function statusObject(wamid: string, status: string, timestamp: number, errors?: StatusError[]): Json {
    const record = sentMessages.get(wamid);
    if (!record) throw new Error(`fake Graph: no accepted message ${wamid}`);
    const s: Json = { id: wamid, status, timestamp: String(timestamp), recipient_id: record.waId };
    if (record.bizOpaque !== null) s.biz_opaque_callback_data = record.bizOpaque;
    if (status === 'sent' || status === 'delivered') {
      s.conversation = {
        id: createHash('md5').update(`${record.waId}/${record.category}`).digest('hex'),
        ...(status === 'sent' ? { expiration_timestamp: String(timestamp + 86400) } : {}),
        origin: { type: record.category },
      };
      s.pricing = {
        billable: !record.free,
        pricing_model: 'PMP',
        category: record.category,
        type: record.free ? 'free_customer_service' : 'regular',
      };
    }
    if (errors) {
      s.errors = errors.map((e) => ({
        code: e.code,
        title: e.title,
        message: e.message ?? e.title,
        error_data: { details: e.details ?? e.title },
        href: ERROR_CODES_HREF,
      }));
    }
    return s;
  }

  /** What Meta does after answering 200: fail the message later, or walk it through sent → delivered → read. */
  function scheduleAfterAccept(wamid: string, plan: SendPlan): void {
    const at = (ms: number, status: string, errors?: StatusError[]) =>
      void tracker.track(
        tracker.delay(ms).then(() => {
          if (!tracker.closed) sender.queueStatus(statusObject(wamid, status, unixNow(), errors));
        }),
      );
    const opts = auto === false ? {} : auto;
    const sentAfter = opts.sentAfterMs ?? 5;
    const failure = failureFor(plan);
    // Failures are Meta's verdict on the message, so they come even when automatic happy-path statuses are off.
    if (failure) return at(sentAfter, 'failed', [failure]);
    if (auto === false) return;
    let delivered = opts.deliveredAfterMs ?? 10;
    let read = opts.readAfterMs === undefined ? 20 : opts.readAfterMs;
    if (opts.reorder && read !== null) [delivered, read] = [read, delivered];
    at(sentAfter, 'sent');
    at(delivered, 'delivered');
    if (read !== null) at(read, 'read');
  }

  function failureFor(plan: SendPlan): StatusError | undefined {
    if (notOnWhatsApp.has(plan.waId)) {
      return { code: 131026, title: 'Message undeliverable', details: 'Message Undeliverable.' };
    }
    if (plan.type !== 'template' && !windowOpen(plan.waId)) {
      return {
        code: 131047,
        title: 'Re-engagement message',
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      };
    }
    if (plan.usesLink && options.mediaLinksFail) {
      return {
        code: 131053,
        title: 'Media upload error',
        details: 'Downloading media from weblink failed with http code 404, status message Not Found',
      };
    }
    return undefined;
  }

  // ── endpoint handlers ──

  async function handleSend(raw: Buffer): Promise<Json> {
    const injected = failQueue[0];
    if (injected) {
      if (--injected.remaining <= 0) failQueue.shift();
      throw injectedError(injected.error);
    }
    let body: Json | undefined;
    try {
      body = asObject(JSON.parse(raw.toString('utf8')));
    } catch {
      body = undefined;
    }
    if (!body) throw invalid('The request body must be a JSON object.');
    const plan = validateSend(body, { templates, media, businessDigits });
    throttle.check(plan.waId, now());
    throttle.record(plan.waId, now());

    const wamid = newWamid(plan.waId);
    const category = plan.template ? plan.template.category.toLowerCase() : 'service';
    const free = !plan.template || (category === 'utility' && windowOpen(plan.waId));
    sentMessages.set(wamid, { waId: plan.waId, bizOpaque: plan.bizOpaque, category, free });
    accepted.push({ wamid, to: plan.waId, body, bizOpaque: plan.bizOpaque, at: now() });
    scheduleAfterAccept(wamid, plan);
    return {
      messaging_product: 'whatsapp',
      contacts: [{ input: plan.toInput, wa_id: plan.waId }],
      // Graph reports message_status (template pacing) only for template messages.
      messages: [plan.template ? { id: wamid, message_status: 'accepted' } : { id: wamid }],
    };
  }

  async function handleUpload(req: IncomingMessage, raw: Buffer): Promise<Json> {
    const file = await parseUpload(req, raw);
    let id = randomDigits(16);
    while (media.has(id)) id = randomDigits(16);
    media.set(id, file);
    return { id };
  }

  function handleTemplates(query: URLSearchParams): Json {
    const fields = (query.get('fields') ?? TEMPLATE_FIELDS.join(',')).split(',').map((f) => f.trim());
    const limit = Math.max(1, Number(query.get('limit') ?? 25) || 25);
    const after = query.get('after');
    const start = after ? Number(Buffer.from(after, 'base64').toString('utf8')) || 0 : 0;
    const name = query.get('name');
    const status = query.get('status');
    const filtered = templates.filter((t) => (!name || t.name.includes(name)) && (!status || t.status === status));
    const page = filtered.slice(start, start + limit);
    const data = page.map((t) => {
      const full: Json = { ...t, parameter_format: 'POSITIONAL' };
      const out: Json = {};
      for (const f of fields) if (f in full) out[f] = full[f];
      out.id = templateId(t);
      return out;
    });
    const cursor = (i: number) => Buffer.from(String(i)).toString('base64');
    const paging: Json = { cursors: { before: cursor(start), after: cursor(start + page.length) } };
    if (start + page.length < filtered.length) {
      const nextQuery = `limit=${limit}&after=${cursor(start + page.length)}`;
      paging.next = `${fake.url}/${version}/${options.wabaId}/message_templates?${nextQuery}`;
    }
    return { data, paging };
  }

  function handlePhoneNumber(query: URLSearchParams): Json {
    const full: Json = {
      verified_name: 'Clínica de prueba',
      code_verification_status: 'VERIFIED',
      display_phone_number: displayPhone,
      quality_rating: 'GREEN',
      platform_type: 'CLOUD_API',
      throughput: { level: 'STANDARD' },
      webhook_configuration: {
        ...(overrides.phoneNumber ? { phone_number: overrides.phoneNumber } : {}),
        ...(overrides.waba ? { whatsapp_business_account: overrides.waba } : {}),
        ...(webhookUrl ? { application: webhookUrl } : {}),
      },
      id: options.phoneNumberId,
    };
    const fields = query.get('fields');
    if (!fields) return full;
    const out: Json = {};
    for (const f of fields.split(',').map((x) => x.trim())) if (f in full) out[f] = full[f];
    out.id = options.phoneNumberId;
    return out;
  }

  /** Graph takes POST parameters as JSON or as a form; the override calls are small either way. */
  function paramsOf(raw: Buffer): Json {
    const text = raw.toString('utf8').trim();
    if (!text) return {};
    if (text.startsWith('{')) {
      try {
        return asObject(JSON.parse(text)) ?? {};
      } catch {
        throw invalid('The request body must be a JSON object.');
      }
    }
    const out: Json = {};
    for (const [k, v] of new URLSearchParams(text)) {
      try {
        out[k] = v.startsWith('{') ? JSON.parse(v) : v;
      } catch {
        out[k] = v;
      }
    }
    return out;
  }

  /**
   * Before accepting an alternate callback URL Meta calls it with the verification request and expects the challenge
   * back; anything else fails the call with (#2200) "Callback verification failed".
   */
  async function verifyCallback(uri: unknown, verifyToken: unknown): Promise<string> {
    if (typeof uri !== 'string' || !/^https?:\/\//.test(uri)) throw invalid('Param override_callback_uri must be a valid URL.');
    if (typeof verifyToken !== 'string' || !verifyToken) throw missing('verify_token');
    const challenge = randomDigits(10);
    const target = new URL(uri);
    target.searchParams.set('hub.mode', 'subscribe');
    target.searchParams.set('hub.challenge', challenge);
    target.searchParams.set('hub.verify_token', verifyToken);
    let status = 0;
    let text = '';
    try {
      const answer = await fetch(target, { headers: { 'user-agent': 'facebookplatform/1.0 (+http://developers.facebook.com)' }, signal: AbortSignal.timeout(5000) });
      status = answer.status;
      text = await answer.text();
    } catch {
      // Unreachable: status stays 0, as Meta reports "Couldn't connect to server".
    }
    const ok = status === 200 && text.trim() === challenge;
    verifications.push({ url: uri, status, ok });
    if (!ok) {
      const detail = status === 0 ? "Couldn't connect to server" : status === 200 ? 'Response does not match challenge' : `HTTP Status Code = ${status}`;
      throw new GraphError(400, {
        message: `(#2200) Callback verification failed with the following errors: ${detail}`,
        type: 'OAuthException',
        code: 2200,
      });
    }
    return uri;
  }

  async function handlePhoneOverride(raw: Buffer): Promise<Json> {
    const config = asObject(paramsOf(raw).webhook_configuration);
    if (!config) throw missing('webhook_configuration');
    // An empty URI removes the phone number's override.
    if (config.override_callback_uri === '') {
      overrides.phoneNumber = null;
      return { success: true };
    }
    overrides.phoneNumber = await verifyCallback(config.override_callback_uri, config.verify_token);
    void fake.redeliverParked();
    return { success: true };
  }

  async function handleSubscribe(raw: Buffer): Promise<Json> {
    const params = paramsOf(raw);
    if (params.override_callback_uri !== undefined) {
      overrides.waba = await verifyCallback(params.override_callback_uri, params.verify_token);
    } else {
      // Subscribing again without an override removes the WABA's alternate URL.
      overrides.waba = null;
    }
    overrides.subscribed = true;
    void fake.redeliverParked();
    return { success: true };
  }

  function handleSubscribedApps(): Json {
    if (!overrides.subscribed) return { data: [] };
    const app: Json = { whatsapp_business_api_data: { id: '3001', link: 'https://www.facebook.com/games/?app_id=3001', name: 'Avisa' } };
    if (overrides.waba) app.override_callback_uri = overrides.waba;
    return { data: [app] };
  }

  function checkToken(req: IncomingMessage, query: URLSearchParams): void {
    const header = req.headers.authorization;
    const token = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? query.get('access_token') ?? undefined;
    if (!token) throw tokenError('missing');
    if (token !== accessToken) throw tokenError('invalid');
    if (tokenExpired) throw tokenError('expired');
  }

  /** Route one request; returns the JSON to answer 200 with, or throws a GraphError. */
  async function route(req: IncomingMessage, raw: Buffer): Promise<Json> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean);
    checkToken(req, url.searchParams);
    if (parts[0] !== version) throw unknownPath(url.pathname);
    const [, id = '', edge, ...extra] = parts;
    if (extra.length > 0) throw unknownPath(`/${[edge, ...extra].join('/')}`);
    const known = id === options.phoneNumberId || id === options.wabaId;
    if (!known) throw unsupportedRequest(method, id);
    const is = (m: string, objectId: string, e: string | undefined) => method === m && id === objectId && edge === e;
    if (is('POST', options.phoneNumberId, 'messages')) return handleSend(raw);
    if (is('POST', options.phoneNumberId, 'media')) return handleUpload(req, raw);
    if (is('GET', options.wabaId, 'message_templates')) return handleTemplates(url.searchParams);
    if (is('GET', options.phoneNumberId, undefined)) return handlePhoneNumber(url.searchParams);
    if (is('POST', options.phoneNumberId, undefined)) return handlePhoneOverride(raw);
    if (is('POST', options.wabaId, 'subscribed_apps')) return handleSubscribe(raw);
    if (is('GET', options.wabaId, 'subscribed_apps')) return handleSubscribedApps();
    if (is('DELETE', options.wabaId, 'subscribed_apps')) {
      overrides.subscribed = false;
      overrides.waba = null;
      return { success: true };
    }
    const edgesOfId = id === options.phoneNumberId ? ['messages', 'media'] : ['message_templates', 'subscribed_apps'];
    if (edge === undefined || edgesOfId.includes(edge)) throw unsupportedRequest(method, id);
    throw unknownPath(`/${edge}`);
  }

  let open = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    open += 1;
    peak = Math.max(peak, open);
    res.on('close', () => (open -= 1));
    void (async () => {
      const raw = await readBody(req);
      const latency = latencyMin + Math.random() * Math.max(0, latencyMax - latencyMin);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const method = req.method ?? 'GET';
      const held = holds.findIndex((h) => path.endsWith(`/${h.edge}`));
      if (held >= 0) {
        const [h] = holds.splice(held, 1);
        h!.arrived();
        await h!.released;
      }
      try {
        const result = await route(req, raw);
        if (dropAnswers > 0 && path.endsWith('/messages') && method === 'POST') {
          dropAnswers -= 1;
          requests.push({ method, path, status: 0 });
          req.socket.destroy();
          return;
        }
        if (options.responseDelayMs) await new Promise((r) => setTimeout(r, options.responseDelayMs));
        requests.push({ method, path, status: 200 });
        sendJson(res, 200, result);
      } catch (err) {
        const e =
          err instanceof GraphError
            ? err
            : waError(131000, err instanceof Error ? err.message : String(err), { httpStatus: 500 });
        requests.push({ method, path, status: e.httpStatus, errorCode: e.body.code });
        sendJson(res, e.httpStatus, { error: { ...e.body, fbtrace_id: newTraceId() } }, e.headers);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeGraph = {
    url: `http://127.0.0.1:${port}`,
    accepted,
    requests,
    media,
    webhookDeliveries: sender.deliveries,
    parkedWebhooks: sender.parked,
    overrides,
    verifications,
    get peakConcurrency() {
      return peak;
    },

    setWebhookUrl(url) {
      webhookUrl = url;
      void fake.redeliverParked();
    },

    failNext(error, count = 1) {
      failQueue.push({ error, remaining: count });
    },

    async inbound(msg) {
      const from = digitsOf(msg.from);
      lastInbound.set(from, now()); // the patient's message opens (or renews) the 24-hour window
      const message: Json = { from, id: msg.id ?? newWamid(from), timestamp: String(unixNow()) };
      if (msg.contextId) message.context = { from: businessDigits, id: msg.contextId };
      if (msg.button) {
        Object.assign(message, { type: 'button', button: { payload: msg.button.payload, text: msg.button.text } });
      } else if (msg.buttonReply) {
        const reply = { type: 'button_reply', button_reply: { id: msg.buttonReply.id, title: msg.buttonReply.title } };
        Object.assign(message, { type: 'interactive', interactive: reply });
      } else if (msg.text !== undefined) {
        Object.assign(message, { type: 'text', text: { body: msg.text } });
      } else {
        throw new Error('fake Graph: inbound needs text, button or buttonReply');
      }
      const contacts = [{ profile: { name: msg.profileName ?? 'Paciente' }, wa_id: from }];
      const value = { ...metadata(), contacts, messages: [message] };
      await sender.send(metaJson(envelope(value)));
    },

    async status(wamid, status, opts = {}) {
      const errors =
        status === 'failed' ? (opts.errors ?? [{ code: 131000, title: 'Something went wrong' }]) : opts.errors;
      const s = statusObject(wamid, status, opts.timestamp ?? unixNow(), errors);
      await sender.send(metaJson(envelope({ ...metadata(), statuses: [s] })));
    },

    postWebhook(body, signature = 'valid') {
      return sender.post(typeof body === 'string' ? body : metaJson(body), signature);
    },

    idle: () => tracker.idle(),

    async close() {
      tracker.close();
      await tracker.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },

    advanceClock(ms) {
      clockOffset += ms;
    },
    expireToken() {
      tokenExpired = true;
    },
    setAccessToken(token) {
      accessToken = token;
      tokenExpired = false;
    },
    async redeliverParked() {
      await Promise.all(sender.parked.splice(0).map((body) => sender.send(body)));
    },
    hold(edge) {
      let arrived!: () => void;
      let release!: () => void;
      const arrivedP = new Promise<void>((r) => (arrived = r));
      const released = new Promise<void>((r) => (release = r));
      holds.push({ edge, arrived, released });
      return { arrived: arrivedP, release };
    },
    dropNextAnswer() {
      dropAnswers += 1;
    },
  };
  return fake;
}

/** The error a failNext() entry produces: Graph's wording unless the test gave its own. */
function injectedError(e: Parameters<FakeGraph['failNext']>[0]): GraphError {
  if (e.code === 190) {
    const err = tokenError(e.subcode === 463 ? 'expired' : 'invalid');
    return new GraphError(e.httpStatus, { ...err.body, ...(e.message ? { message: e.message } : {}) }, err.headers);
  }
  const title = e.message ?? TITLES[e.code] ?? 'Something went wrong';
  const message = title.startsWith('(#') ? title : `(#${e.code}) ${title}`;
  return waError(e.code, e.details ?? title, { httpStatus: e.httpStatus, message, subcode: e.subcode });
}
