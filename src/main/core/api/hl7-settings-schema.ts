import { z } from 'zod';

/** What a settings patch may change of the HL7 listener's guard (the same bounds as the stored settings). */
export const hl7LimitsPatch = {
  allowedAddresses: z.array(z.string().max(255)).max(100),
  trustedSenders: z.array(z.string().max(255)).max(100),
  maxMessageMb: z.number().int().min(1).max(200),
  idleTimeoutSeconds: z.number().int().min(5).max(86_400),
  maxConnections: z.number().int().min(1).max(100),
  tlsCertFile: z.string().max(4096),
  tlsKeyFile: z.string().max(4096),
};
