import type { AppOptions } from '../app-types';
import type { ResultsIntake } from '../intake/results-intake';
import { receiveAppointment } from '../intake/appointments-intake';
import { incomingFromSource } from '../intake/source-result-adapter';
import type { Planner } from '../scheduler/planner';
import { clinicDbRunner } from '../sources/clinic-db-runner';
import { startFolderSource, type FolderSource } from '../sources/folder-source';
import { hl7AppointmentDecision } from '../sources/hl7/appointment-decision';
import type { Hl7Inbound } from '../sources/hl7/interpret';
import { hl7Tls, startHl7Listener, type Hl7Decision, type Hl7Listener, type Hl7RefusedEvent, type Hl7Sender } from '../sources/hl7/listener';
import { keepRefusedHl7, retryRefusedHl7 } from '../sources/hl7/refused-inbox';
import { sourceFileReader } from '../sources/source-file';
import type { Later } from './later-parts';
import type { StoreStage } from './store-stage';

/** Where results and appointments come from: the shared folder, the HL7 listener and the clinic's own database. */
export function buildSources(options: AppOptions, s: StoreStage, resultsIntake: ResultsIntake, planner: Planner, later: Later) {
  const { db, settings, now, language } = s;
  let folder: FolderSource | null = null;
  let hl7: Hl7Listener | null = null;
  const readSourceFile = sourceFileReader([options.dataDir]);
  const hl7Handler = async (inbound: Hl7Inbound, from: Hl7Sender): Promise<Hl7Decision> => {
    if (inbound.kind === 'results') {
      // Problems (unknown patient, bad PDF…) wait in "por revisar": the message itself was taken. A sender the clinic
      // has not listed as trusted is unauthenticated: its results wait for a person's approval.
      for (const record of inbound.records) {
        const incoming = await incomingFromSource(record, readSourceFile);
        await resultsIntake.receive(from.trusted ? incoming : { ...incoming, approved: false });
      }
      return { accept: true };
    }
    const outcome = receiveAppointment(db, planner, inbound.record, {
      at: now(),
      language: language(),
      defaultCountry: s.defaultCountry(),
      siteCodes: settings.get().hl7.siteCodes,
    });
    return hl7AppointmentDecision(outcome);
  };
  const clinicDb = clinicDbRunner({
    db,
    settings,
    now,
    protectedDirs: [options.dataDir],
    onResult: async (record) => void (await resultsIntake.receive(await incomingFromSource(record, readSourceFile))),
    onAppointment: (record) => {
      const outcome = receiveAppointment(db, planner, record, {
        at: now(),
        language: language(),
        defaultCountry: s.defaultCountry(),
      });
      if (!outcome.ok) console.warn('[avisa] cita no tomada:', record.sourceKey, outcome.reason.es);
    },
    every: (name, seconds, run) => {
      later().ops.jobs.set({ name, rule: { kind: 'every', seconds }, zone: s.clinicZone(), run });
      return () => later().ops.jobs.remove(name);
    },
  });
  const closeSources = async (): Promise<void> => {
    await folder?.close();
    await hl7?.close();
    folder = null;
    hl7 = null;
  };
  /** (Re)starts the shared-folder watcher and the HL7 listener from their settings. */
  const restartSources = async (): Promise<void> => {
    await closeSources();
    const f = settings.get().folderSource;
    if (f.enabled && f.path) {
      folder = startFolderSource({
        settings: f,
        sink: resultsIntake,
        now,
        onError: (error) => console.warn('[avisa] carpeta compartida:', error.message),
      });
    }
    const h = settings.get().hl7;
    if (h.enabled) {
      const onRefused = (event: Hl7RefusedEvent): void => keepRefusedHl7(db, event, now());
      // Inside the promise: a missing certificate file is reported like a busy port, not a failed start.
      hl7 = await Promise.resolve()
        .then(() =>
          startHl7Listener({
            host: h.host,
            port: h.port,
            allowedAddresses: h.allowedAddresses,
            trustedSenders: h.trustedSenders,
            maxMessageBytes: h.maxMessageMb * 1024 * 1024,
            idleTimeoutMs: h.idleTimeoutSeconds * 1000,
            maxConnections: h.maxConnections,
            tls: hl7Tls(h),
            timeZone: s.clinicZone(),
            handler: hl7Handler,
            onRefused,
            now,
          }),
        )
        .catch((error: unknown) => {
          console.warn('[avisa] HL7:', error instanceof Error ? error.message : error);
          return null;
        });
    }
  };
  return {
    clinicDb,
    restartSources,
    closeSources,
    /** The port the HL7 listener took, or null when it is off. */
    hl7Port: () => hl7?.port ?? null,
    // A message processed again by a person's click: its sender is no longer known, so its results wait for approval.
    retryHl7: (id: number) =>
      retryRefusedHl7(db, id, {
        zone: s.clinicZone(),
        handler: (inbound) => hl7Handler(inbound, { address: '', trusted: false }),
        at: now(),
      }),
  };
}

export type SourcesStage = ReturnType<typeof buildSources>;
