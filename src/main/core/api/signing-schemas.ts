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
};
