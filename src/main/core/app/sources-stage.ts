import type { AppOptions } from '../app-types';
import type { ResultsIntake } from '../intake/results-intake';
import { keepClinicDbAppointmentProblem, receiveClinicDbAppointments } from '../intake/clinic-db-appointments';
import { keepClinicDbResultProblem, receiveClinicDbResult } from '../intake/clinic-db-results';
import type { Planner } from '../scheduler/planner';
import { clinicDbRunner } from '../sources/clinic-db-runner';
import { startFolderSource, type FolderSource } from '../sources/folder-source';
import { hl7Tls, startHl7Listener, type Hl7Listener, type Hl7RefusedEvent } from '../sources/hl7/listener';
import { keepRefusedHl7, retryRefusedHl7 } from '../sources/hl7/refused-inbox';
import { sourceFileReader } from '../sources/source-file';
import { hl7Receiver } from './hl7-receiver';
import type { Later } from './later-parts';
import type { StoreStage } from './store-stage';

/** Where results and appointments come from: the shared folder, the HL7 listener and the clinic's own database. */
export function buildSources(options: AppOptions, s: StoreStage, resultsIntake: ResultsIntake, planner: Planner, later: Later) {
  const { db, settings, now, language } = s;
  let folder: FolderSource | null = null;
  let hl7: Hl7Listener | null = null;
  const readSourceFile = sourceFileReader([options.dataDir]);
  const hl7Handler = hl7Receiver(s, resultsIntake, planner, readSourceFile);
  const clinicDb = clinicDbRunner({
    db,
    settings,
    now,
    protectedDirs: [options.dataDir],
    onResult: async (record, from) => {
      const leftList = await receiveClinicDbResult(db, resultsIntake, record, { trusted: from.trusted, at: now(), readFile: readSourceFile });
      if (leftList) s.bus.emit('clinicDbRefused.changed', { id: null });
    },
    onAppointments: (records) => {
      const outcomes = receiveClinicDbAppointments(db, planner, records, {
        at: now(),
        language: language(),
        defaultCountry: s.defaultCountry(),
        siteCodes: settings.get().clinicDb.appointments?.siteCodes ?? [],
      });
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) s.bus.emit('appointments.changed', { id: outcome.appointmentId });
        else console.warn('[avisa] cita no tomada (lista en Ajustes → Base de datos):', records[i]?.sourceKey, outcome.reason.es);
      });
      // Taken appointments may have registered their patients or recorded their consent: once per poll.
      if (outcomes.some((outcome) => outcome.ok)) s.bus.emit('patients.changed', { id: null });
      // A poll's rows taken or refused change the review list once.
      if (outcomes.some((outcome) => outcome.refusedListChanged)) s.bus.emit('clinicDbRefused.changed', { id: null });
    },
    onProblem: (kind, problem, keyPrefix) => {
      const keep = kind === 'appointments' ? keepClinicDbAppointmentProblem : keepClinicDbResultProblem;
      // A row without its id is not kept (it cannot be told from the next): the list did not change.
      if (keep(db, problem, keyPrefix, now())) s.bus.emit('clinicDbRefused.changed', { id: null });
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
      const onRefused = (event: Hl7RefusedEvent): void => s.bus.emit('hl7Refused.changed', { id: keepRefusedHl7(db, event, now()) });
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
