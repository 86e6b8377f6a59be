import type { ArgsOf, EventName } from '../../../shared/api';
import { useLiveCall } from './hooks';

// What Ajustes (and the cards that borrow from it) lists, one hook each, reloading on the core's events that change
// that list and no other. A card still reloads by hand after its own change (the answer is faster than the event).

/** HL7 messages answered AE/AR, kept with their reason until processed again. */
export const useHl7Refused = () => useLiveCall('hl7.refused', {}, ['hl7Refused.changed']);

/** Clinic-database appointments Avisa could not take, until taken or read again fixed. */
export const useClinicDbRefused = () => useLiveCall('clinicDb.refused', {}, ['clinicDbRefused.changed']);

/** Estado: every calendar job with its last and next run. */
export const useJobs = () => useLiveCall('jobs.list', {}, ['jobs.changed']);

/** The backups in the configured folder. */
export const useBackups = () => useLiveCall('backup.list', {}, ['backups.changed']);

/** How Meta's webhooks reach this workstation, and what arrived lately. */
export const useReception = () => useLiveCall('reception.view', {}, ['reception.changed']);

/** The professionals' own credentials, as an administrator links them. */
export const useProfessionalCredentials = () => useLiveCall('professional.credentials', {}, ['professionalCredentials.changed']);

/** The signed-in professional's credential and how many of their validated results wait for it. */
export const useMySignature = () => useLiveCall('professional.mine', {}, ['professionalCredentials.changed', 'results.changed']);

const segmentEvents: readonly EventName[] = [
  // Consent (a "BAJA" reply included), tags, phone and age are the patient's.
  'patients.changed',
  // A segment by last visit counts attended appointments.
  'appointments.changed',
];

/** How many patients a campaign's segment reaches and who is left out, as the segment is typed. */
export const useSegmentPreview = (args: ArgsOf<'campaigns.preview'>) => useLiveCall('campaigns.preview', args, segmentEvents);
