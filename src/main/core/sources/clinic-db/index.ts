// Clinic-database source: a configured SQL query read incrementally by cursor, normalised into source records, plus
// the write-back of a patient's answer. It never touches Avisa's own store: intake consumes what it yields.

export { clinicDbSourceSchema, connectionSchema, writeBackSchema } from '../../settings/clinic-db-settings';
export type { ClinicDbConnection, ClinicDbSourceConfig, ClinicDbSourceInput, WriteBackConfig } from '../../settings/clinic-db-settings';
export { appointmentColumns, resultColumns } from './columns';
export type { CursorValue } from './cursor';
export type { ClinicDbError, ClinicDbErrorCode } from './errors';
export { createClinicDbPoller } from './poller';
export type { ClinicDbPoller, ClinicDbPollerOptions, CursorStore, PollFailure, PollOutcome, PollerStatus } from './poller';
export { readBatch, testQuery } from './read';
export type { ReadBatch, ReadOutcome, TestQueryOutcome } from './read';
export { documentTypeFrom } from './records';
export type {
  SourceAppointment,
  SourceAppointmentStatus,
  SourceFile,
  SourcePatient,
  SourceProblem,
  SourceRecord,
  SourceResult,
} from './records';
export { writeBack, writeBackAnswer } from './write-back';
export type { WriteBackChange, WriteBackOutcome } from './write-back';
