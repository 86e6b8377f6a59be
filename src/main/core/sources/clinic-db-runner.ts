import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store/db';
import { markWriteBack, pendingWriteBacks } from '../store/reminders-repo';
import {
  createClinicDbPoller,
  testQuery,
  type ClinicDbPoller,
  type ClinicDbSourceConfig,
  type CursorValue,
  type SourceAppointment,
  type SourceProblem,
  type SourceResult,
} from './clinic-db';
import { writeBack } from './clinic-db/write-back';

export type ClinicDbKind = 'results' | 'appointments';

export interface ClinicDbRunnerOptions {
  db: Db;
  settings: SettingsService;
  now: () => number;
  /** Never a clinic source (Avisa's data folder). */
  protectedDirs: string[];
  /** `trusted`: the clinic ticked "trust the results of this database"; otherwise they wait for approval. */
  onResult: (record: SourceResult, from: { trusted: boolean }) => Promise<void>;
  /** The appointment rows of one poll, together: intake writes them in one transaction. */
  onAppointments: (records: SourceAppointment[]) => void;
  /** A row that could not become a record (a skipped hour, an unknown status…), with the reason. */
  onProblem?: (kind: ClinicDbKind, problem: SourceProblem, keyPrefix: string) => void;
  /** The app's calendar jobs: a named job every `seconds`; answers how to cancel it. Without it, plain timers. */
  every?: (name: string, seconds: number, tick: () => Promise<void>) => () => void;
}

const kinds: ClinicDbKind[] = ['results', 'appointments'];

/**
 * Runs the configured clinic-database sources: one poller per kind (results, appointments), the cursor kept in the
 * settings table, passwords from the encrypted secrets, and the patients' answers written back to the clinic's
 * appointment table when configured.
 */
export function clinicDbRunner(o: ClinicDbRunnerOptions) {
  const pollers = new Map<ClinicDbKind, ClinicDbPoller>();

  /** The stored configuration with its password, which lives apart as a secret. */
  const configOf = (kind: ClinicDbKind): ClinicDbSourceConfig | null => {
    const config = o.settings.get().clinicDb[kind];
    if (!config || config.connection.driver === 'sqlite') return config;
    const password = o.settings.getSecret(`clinicDb.${kind}.password`) ?? undefined;
    return { ...config, connection: { ...config.connection, password } };
  };

  const cursorStore = (kind: ClinicDbKind) => ({
    get: (): CursorValue | null => o.settings.get().clinicDbCursors[kind] ?? null,
    set: (value: CursorValue): void => {
      o.settings.update({ clinicDbCursors: { ...o.settings.get().clinicDbCursors, [kind]: value } });
    },
  });

  const drainWriteBacks = async (config: ClinicDbSourceConfig): Promise<void> => {
    if (!config.writeBack) return;
    const prefix = `${config.keyPrefix}:`;
    for (const pending of pendingWriteBacks(o.db, 50)) {
      if (pending.source !== 'clinic-db' || !pending.sourceKey.startsWith(prefix)) continue;
      const value = pending.answer === 'confirmed' ? config.writeBack.confirmedValue : config.writeBack.cancelledValue;
      const change = { appointmentId: pending.sourceKey.slice(prefix.length), value };
      const outcome = await writeBack(config, change, { protectedDirs: o.protectedDirs });
      markWriteBack(o.db, pending.appointmentId, pending.at, outcome.ok ? { ok: true, at: o.now() } : { ok: false, error: outcome.error.es });
    }
  };

  // One drain at a time: an answer arriving while another is being written waits for the next pass, never races it.
  let draining: Promise<void> | null = null;
  let drainAgain = false;
  let retryTimer: NodeJS.Timeout | null = null;
  const writeBackNow = (): Promise<void> => {
    const config = configOf('appointments');
    if (!config?.enabled || !config.writeBack) return Promise.resolve();
    if (draining) {
      drainAgain = true;
      return draining;
    }
    const pass = (async () => {
      do {
        drainAgain = false;
        try {
          await drainWriteBacks(config);
        } catch (error) {
          console.warn('[avisa] base de datos (respuestas):', error);
        }
      } while (drainAgain);
    })().finally(() => {
      draining = null;
    });
    draining = pass;
    return pass;
  };

  return {
    /** Stops every poller and starts the enabled ones from the current settings. */
    async restart(): Promise<void> {
      await this.stop();
      const appointments = configOf('appointments');
      if (appointments?.enabled && appointments.writeBack) {
        // Answers left pending by a crash or an unreachable database are retried at the poll's pace.
        retryTimer = setInterval(() => void writeBackNow(), appointments.pollSeconds * 1000);
        retryTimer.unref();
        void writeBackNow();
      }
      for (const kind of kinds) {
        const config = configOf(kind);
        if (!config?.enabled) continue;
        const poller = createClinicDbPoller({
          config,
          cursor: cursorStore(kind),
          now: o.now,
          protectedDirs: o.protectedDirs,
          onBatch: async (batch) => {
            const appointments: SourceAppointment[] = [];
            for (const record of batch.records) {
              if (record.kind === 'appointment') appointments.push(record);
              else await o.onResult(record, { trusted: config.trustedResults });
            }
            if (appointments.length) o.onAppointments(appointments);
            for (const problem of batch.problems) {
              console.warn(`[avisa] base de datos (${kind}):`, problem);
              o.onProblem?.(kind, problem, config.keyPrefix);
            }
            if (kind === 'appointments') await writeBackNow();
          },
          onFailure: (failure) => console.warn(`[avisa] base de datos (${kind}):`, failure.stage, failure.error),
          ...(o.every ? { every: (seconds: number, tick: () => Promise<void>) => o.every?.(`clinicDb.poll ${kind}`, seconds, tick) ?? (() => undefined) } : {}),
        });
        pollers.set(kind, poller);
        poller.start();
      }
    },
    async stop(): Promise<void> {
      if (retryTimer) clearInterval(retryTimer);
      retryTimer = null;
      await Promise.all([...pollers.values()].map((p) => p.stop()));
      pollers.clear();
      await draining;
    },
    /** A patient just answered: write it to the clinic's database now rather than at the next poll. */
    writeBackNow,
    status: (kind: ClinicDbKind) => pollers.get(kind)?.status() ?? null,
    /** "Probar consulta": the first rows, or the database's own error. */
    test(kind: ClinicDbKind) {
      const config = configOf(kind);
      return config ? testQuery(config, 5, { protectedDirs: o.protectedDirs }) : null;
    },
  };
}

export type ClinicDbRunner = ReturnType<typeof clinicDbRunner>;
