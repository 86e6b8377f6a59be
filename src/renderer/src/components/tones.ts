import type { ChannelHealth } from '../../../shared/api';
import type { LinkedState } from '../api/linkedDevice';
import type { AppointmentStatus, ConsentStatus, MessageState, ResultStatus } from '../../../shared/domain';
import type { Tone } from './Chip';

export const messageTone: Record<MessageState, Tone> = {
  queued: 'info',
  sending: 'info',
  sent: 'ok',
  delivered: 'good',
  read: 'read',
  failed: 'bad',
  expired: 'warn',
  cancelled: 'muted',
  unknown: 'warn',
};

/** WhatsApp's own ticks: one when it left, two when it arrived; read shows them in blue (`chip-read`). */
export const messageMark: Partial<Record<MessageState, string>> = {
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
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
  dismissed: 'muted',
};

export const consentTone: Record<ConsentStatus, Tone> = {
  unknown: 'muted',
  opted_in: 'good',
  opted_out: 'bad',
};

export const healthTone: Record<ChannelHealth['state'], Tone> = {
  ready: 'good',
  paused: 'bad',
  not_configured: 'warn',
};

export const linkedStateTone: Record<LinkedState, Tone> = {
  disconnected: 'warn',
  connecting: 'info',
  qr: 'info',
  open: 'good',
  logged_out: 'bad',
  replaced: 'bad',
  update_required: 'bad',
  account_restricted: 'bad',
};

/** Meta's template statuses; anything new Meta adds shows neutral. */
export function templateTone(status: string): Tone {
  switch (status.toUpperCase()) {
    case 'APPROVED':
      return 'good';
    case 'PENDING':
    case 'IN_APPEAL':
      return 'info';
    case 'PAUSED':
      return 'warn';
    case 'REJECTED':
    case 'DISABLED':
      return 'bad';
    default:
      return 'neutral';
  }
}

/** Meta's phone number quality rating. */
export function qualityTone(rating: string | null): Tone {
  switch (rating?.toUpperCase()) {
    case 'GREEN':
      return 'good';
    case 'YELLOW':
      return 'warn';
    case 'RED':
      return 'bad';
    default:
      return 'neutral';
  }
}
