import type { AppointmentDay, OpenReply } from './api';
import type { Appointment, Epoch } from './domain';

// The typed API of the front desk's confirmation loop in Citas: a day at every site (or one), counted by what the
// patients answered; moving an appointment to a new time; the warning before a double booking; answering a reply.

/** The chips over Citas: each appointment of the day falls in none, one or several of them. */
export type ConfirmationFilter = 'confirmed' | 'no_answer' | 'change_requested' | 'reminder_failed';

export type ConfirmationCounts = { all: number } & Record<ConfirmationFilter, number>;

/** What the patient's latest reply about the appointment (at its current time) was understood as. */
export interface AppointmentReplyView {
  appointmentId: number;
  replyId: number;
  intent: 'confirm' | 'cancel' | 'reschedule' | 'opt_out' | 'opt_in' | 'unknown';
  body: string;
  receivedAt: Epoch;
  /** Still in "Respuestas por atender". */
  open: boolean;
}

/** A day of Citas as the front desk works it: the rows of the chosen chip, and the counts of every chip. */
export interface AppointmentBoard extends AppointmentDay {
  counts: ConfirmationCounts;
  replies: AppointmentReplyView[];
  /** The appointments among `appointments` whose reminder for the current time failed, with that message. */
  failedReminders: { appointmentId: number; messageId: number; reason: string | null }[];
}

/** Another active appointment that a new time would collide with. */
export interface AppointmentOverlap {
  appointment: Appointment;
  /** patient: the same patient within the same hour (any site); professional: the same professional's slot. */
  kind: 'patient' | 'professional';
}

export interface RescheduleInput {
  id: number;
  /** The new local date and time at the appointment's site, YYYY-MM-DDTHH:mm. */
  localDateTime: string;
  /** Tell the patient the new time (a template message through the outbox). */
  notifyPatient: boolean;
  /** The reply asking for the change: marked attended with this action. */
  replyId?: number;
}

export interface RescheduleResult {
  appointment: Appointment;
  /** Queued reminders for the old time that were cancelled. */
  withdrawn: number;
  /** The time repeats that day (the clock goes back): the earlier one was taken. */
  ambiguous: boolean;
  /** The message telling the patient, or why it could not be queued. */
  notice: { queued: true; messageId: number } | { queued: false; reason: string } | null;
}

/** An open reply with the patient and appointment it concerns, whatever site the page shows. */
export interface OpenReplyDetail extends OpenReply {
  patientName: string | null;
  appointment: Appointment | null;
  /** When WhatsApp's 24-hour window for a free-text answer closes (24 h after the patient's last message). */
  windowEndsAt: Epoch | null;
  /** A free-text answer may still go (by the core's clock). */
  windowOpen: boolean;
}

export interface AppointmentHandlers {
  /** Citas for one local day (each site's own day), at one site or all, filtered by a chip; counts of every chip. */
  'appointments.board': (args: { day: string; siteId?: number; filter?: ConfirmationFilter }) => AppointmentBoard;
  /** Other appointments the time would collide with (asked before saving; the person may go ahead). */
  'appointments.overlaps': (args: {
    patientId: number;
    siteId: number;
    startsAt: Epoch;
    excludeId?: number;
  }) => AppointmentOverlap[];
  /** A new time: reminders re-planned, the old time's queued ones cancelled with the reason; optionally the patient told. */
  'appointments.reschedule': (args: RescheduleInput) => RescheduleResult;
  'replies.details': (args: Record<string, never>) => OpenReplyDetail[];
  /** A free-text answer through the outbox, only inside the 24-hour window; the reply is marked attended. */
  'replies.answer': (args: { replyId: number; text: string }) => OpenReplyDetail[];
  /** Cancels the appointment the reply is about (its reminders withdrawn) and marks the reply attended. */
  'replies.cancelAppointment': (args: { replyId: number }) => OpenReplyDetail[];
}
