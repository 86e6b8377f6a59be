import { z } from 'zod';

const none = z.object({}).strict();
const modulePath = z.string().trim().min(1).max(1024);

/** Arguments of the signing API (tokens, "Firmar pendientes"), merged into the API's schemas. */
export const tokenSchemas = {
  'results.signature': z.object({ id: z.number().int().positive() }),
  'token.modules': none,
  'token.list': z.object({ modulePath }),
  'token.certificates': z.object({ modulePath, tokenSerial: z.string().min(1).max(64) }),
  'token.use': z.object({
    modulePath,
    tokenSerial: z.string().min(1).max(64),
    certificateId: z.string().regex(/^[0-9a-f]+$/i).max(256),
    holderId: z.number().int().positive().nullable(),
  }),
  'token.signPending': z.object({ pin: z.string().min(1).max(64) }),
  'token.lock': none,
  'professional.credentials': none,
  'professional.linkToken': z.object({
    personId: z.number().int().positive(),
    modulePath,
    tokenSerial: z.string().min(1).max(64),
    certificateId: z.string().regex(/^[0-9a-f]+$/i).max(256),
  }),
  // A .p12 is a few KB; 200 000 base64 characters leaves room for long chains.
  'professional.linkP12': z.object({ personId: z.number().int().positive(), base64: z.string().min(1).max(200_000), password: z.string().max(256) }),
  'professional.unlink': z.object({ personId: z.number().int().positive() }),
  'professional.mine': none,
  'professional.signMine': z.object({ secret: z.string().min(1).max(256) }),
  'professional.lockMine': none,
  'results.validateSigned': z.object({ id: z.number().int().positive(), secret: z.string().min(1).max(256).optional() }),
};
