import { z } from 'zod';

// What Ajustes → Fuentes stores for one clinic-database source. The lead embeds `clinicDbSourceSchema` in the settings
// schema; the password is a secret and is passed in at run time, never stored here.

/**
 * A clinic database on a server (PostgreSQL or MySQL/MariaDB): the same fields, checks and defaults for both; only the
 * driver and its usual port differ. Each driver narrows `driver` and gives `port` its default in place, so a parsed
 * connection keeps its keys in this order.
 */
const serverConnectionSchema = z.object({
  driver: z.enum(['postgres', 'mysql']),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  database: z.string().min(1),
  user: z.string().min(1),
  password: z.string().optional(),
  ssl: z.boolean().default(false),
  /** PEM file of the CA that signed the server's certificate, when it is not a public one. Always verified. */
  sslCaFile: z.string().optional(),
});

const serverPort = serverConnectionSchema.shape.port;

export const connectionSchema = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('sqlite'), file: z.string().min(1) }),
  serverConnectionSchema.extend({ driver: z.literal('postgres'), port: serverPort.default(5432) }),
  serverConnectionSchema.extend({ driver: z.literal('mysql'), port: serverPort.default(3306) }),
]);

export type ClinicDbConnection = z.infer<typeof connectionSchema>;

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/, 'identifier');

const statusSchema = z.enum(['booked', 'rescheduled', 'cancelled', 'attended', 'no_show']);

export const writeBackSchema = z.object({
  /** The table and columns Avisa builds the UPDATE from: identifiers quoted by the driver, values bound. */
  table: identifier,
  keyColumn: identifier,
  /** The only column Avisa may change. */
  column: identifier,
  /**
   * An UPDATE written by hand, accepted by older versions. Still read so such settings load, but never run: a
   * write-back with it set is refused until it is cleared (the statement is always built from the names above).
   */
  sql: z.string().default(''),
  /** What the clinic's column holds for each answer (e.g. 'CONFIRMADA', 'S', 1). */
  confirmedValue: z.union([z.string(), z.number()]).default('confirmed'),
  cancelledValue: z.union([z.string(), z.number()]).default('cancelled'),
});

export type WriteBackConfig = z.infer<typeof writeBackSchema>;

export const clinicDbSourceSchema = z.object({
  enabled: z.boolean().default(false),
  kind: z.enum(['results', 'appointments']),
  connection: connectionSchema,
  /**
   * SELECT returning the columns named in `columns.ts` (as SQL aliases), filtered by `:cursor`,
   * e.g. `SELECT ... AS result_id, ... FROM resultados WHERE aprobado AND id > :cursor ORDER BY id`.
   */
  query: z.string().min(1),
  /** The result column whose largest value read becomes the next `:cursor`. */
  cursorColumn: z.string().min(1),
  /** The first `:cursor`, typed like the cursor column ('0', '2025-01-01 00:00:00'): where history starts. */
  initialCursor: z.union([z.string(), z.number()]).default(0),
  /** Stable prefix of every source key; change it and every row is read as new. */
  keyPrefix: z.string().min(1).default('clinic-db'),
  /** IANA zone for times written without an offset (the site's zone). */
  timeZone: z.string().min(1).default('America/Lima'),
  /** The clinic's status words → Avisa's; added to the built-in Spanish and English words. */
  statusMap: z.record(z.string(), statusSchema).default({}),
  /** Joined to relative `file_path` values (a share the clinic's system writes to). */
  fileBaseDir: z.string().default(''),
  pollSeconds: z.number().int().min(5).max(86_400).default(60),
  /** Longest a connection attempt or the query may take before the poll reports a timeout. */
  timeoutSeconds: z.number().int().min(1).max(600).default(30),
  writeBack: writeBackSchema.nullable().default(null),
  /**
   * "Confiar en los resultados de esta base (ya validados)": off, every result read waits in Por revisar for a person's
   * approval (and a professional's validation where the kind needs one), as results from an HL7 sender not listed as
   * trusted do. Whoever can write to the clinic's table (or edit the query) could otherwise send a patient anything.
   */
  trustedResults: z.boolean().default(false),
  /** The clinic's site codes (appointments' `site` column) that mean each of Avisa's sites, when not the site's name. */
  siteCodes: z.array(z.object({ code: z.string().min(1).max(100), siteId: z.number().int() })).max(200).default([]),
});

export type ClinicDbSourceConfig = z.infer<typeof clinicDbSourceSchema>;
/** What callers write: defaults filled by `clinicDbSourceSchema.parse`. */
export type ClinicDbSourceInput = z.input<typeof clinicDbSourceSchema>;
