import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureMatches } from '../../src/main/core/webhooks/signature';
import { parseWebhook } from '../../src/main/core/channels/cloud-api/webhook-payload';

const envelope = (value: object) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '2001', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', ...value } }] }],
  });

describe('webhook signature', () => {
  // Meta escapes non-ASCII characters: the signature covers those exact bytes, not a re-serialisation.
  const raw = Buffer.from('{"from":"Jos\\u00e9 Pe\\u00f1a"}');
  const sign = (body: Buffer, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('accepts the HMAC-SHA256 of the raw bytes with the app secret', () => {
    expect(signatureMatches(raw, sign(raw, 'secreto'), 'secreto')).toBe(true);
  });

  it('refuses a forged, missing or malformed signature, or one over re-serialised JSON', () => {
    expect(signatureMatches(raw, sign(raw, 'otro'), 'secreto')).toBe(false);
    expect(signatureMatches(raw, undefined, 'secreto')).toBe(false);
    expect(signatureMatches(raw, 'sha256=zz', 'secreto')).toBe(false);
    expect(signatureMatches(raw, sign(raw, 'secreto').replace('sha256=', 'sha1='), 'secreto')).toBe(false);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(signatureMatches(raw, sign(reserialised, 'secreto'), 'secreto')).toBe(false);
    expect(signatureMatches(raw, sign(raw, ''), '')).toBe(false);
  });
});

describe('webhook payload', () => {
  it('reads batched statuses with our id and classed errors', () => {
    const { statuses } = parseWebhook(
      envelope({
        statuses: [
          { id: 'wamid.A', status: 'read', timestamp: '1764000000', recipient_id: '51987654321', biz_opaque_callback_data: 'avisa:41' },
          { id: 'wamid.B', status: 'delivered', timestamp: '1764000001', recipient_id: '51987654321' },
          {
            id: 'wamid.C',
            status: 'failed',
            timestamp: '1764000002',
            recipient_id: '51987654321',
            errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'More than 24 hours' } }],
          },
          { id: 'wamid.D', status: 'deleted', timestamp: '1764000003' },
        ],
      }),
      'es',
    );
    expect(statuses).toHaveLength(3);
    expect(statuses[0]).toEqual({ providerId: 'wamid.A', state: 'read', at: 1764000000000, ourId: 41 });
    expect(statuses[1]?.ourId).toBeUndefined();
    expect(statuses[2]).toMatchObject({ state: 'failed', errorCode: '131047', failure: 'window' });
    expect(statuses[2]?.errorReason).toMatch(/24 horas.*More than 24 hours/);
  });

  it('reads text, quick-reply button and interactive replies with the message they answer', () => {
    const { replies } = parseWebhook(
      envelope({
        contacts: [{ profile: { name: 'Ana' }, wa_id: '51987654321' }],
        messages: [
          { from: '51987654321', id: 'wamid.in1', timestamp: '1764000010', type: 'text', text: { body: 'Sí, confirmo' } },
          {
            from: '51987654321',
            id: 'wamid.in2',
            timestamp: '1764000011',
            type: 'button',
            button: { payload: 'CONFIRM:12', text: 'Confirmar' },
            context: { from: '15550100', id: 'wamid.A' },
          },
          {
            from: '51987654321',
            id: 'wamid.in3',
            timestamp: '1764000012',
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'CANCEL:12', title: 'Cancelar' } },
            context: { id: 'wamid.B' },
          },
          { from: '51987654321', id: 'wamid.in4', timestamp: '1764000013', type: 'image' },
        ],
      }),
      'es',
    );
    expect(replies.map((r) => [r.body, r.payload, r.inReplyTo])).toEqual([
      ['Sí, confirmo', undefined, undefined],
      ['Confirmar', 'CONFIRM:12', 'wamid.A'],
      ['Cancelar', 'CANCEL:12', 'wamid.B'],
      ['[image]', undefined, undefined],
    ]);
    expect(replies[0]).toMatchObject({ fromPhone: '+51987654321', at: 1764000010000 });
  });

  it('ignores other objects and fields', () => {
    expect(parseWebhook(JSON.stringify({ object: 'page', entry: [] }), 'es')).toEqual({ statuses: [], replies: [] });
    expect(() => parseWebhook('{oops', 'es')).toThrow();
  });
});
