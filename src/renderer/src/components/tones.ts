import type { AppointmentStatus, ConsentStatus, MessageState, ResultStatus } from '../../../shared/domain';
import type { Tone } from './Chip';

export const messageTone: Record<MessageState, Tone> = {
  queued: 'info',
  sending: 'info',
  sent: 'ok',
  delivered: 'good',
  read: 'good',
  failed: 'bad',
  expired: 'warn',
  cancelled: 'muted',
  unknown: 'warn',
};

export const appointmentTone: Record<AppointmentStatus, Tone> = {
  booked: 'info',
  confirmed: 'good',
  cancelled: 'muted',
  attended: 'ok',
  no_show: 'warn',
};

export const resultTone: Record<ResultStatus, Tone> = {
  pending_review: 'warn',
  approved: 'info',
  queued: 'info',
  sent: 'good',
};

export const consentTone: Record<ConsentStatus, Tone> = {
  unknown: 'muted',
  opted_in: 'good',
  opted_out: 'bad',
};
