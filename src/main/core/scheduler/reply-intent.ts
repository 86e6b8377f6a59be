import type { Language, MessageKind } from '../../../shared/domain';
import { appendAudit } from '../audit/audit-log';
import type { Outbox } from '../outbox/outbox';
import type { Db } from '../store/db';
import {
  answeredAppointment,
  appointmentOfMessage,
  insertReplyIntent,
  patientIdsByPhone,
  queuedMessageIdsOfPatient,
  recordAppointmentAnswer,
  replyIntentOf,
  setAppointmentStatus,
  type ReplyIntentName,
  type ReplyOutcome,
} from '../store/reminders-repo';
import { getConsentPolicy, setPatientConsent } from '../store/consent-repo';
import type { Planner } from './planner';

export type ReplyIntent = ReplyIntentName;

export interface ParsedReply {
  intent: ReplyIntent;
  /** From a button payload (CONFIRM:12): the appointment it answers. */
  appointmentId: number | null;
  /** A question or a long message: worth a person's reading even when understood. */
  attention: boolean;
}

/** Lower case, no accents, no punctuation or emoji, single spaces: "¡Sí, CONFIRMO! 👍" → "si confirmo". */
export function normaliseReply(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// "siii", "okkk", "nooo": letters repeated for emphasis. Both the reply and the vocabulary are squeezed the same way.
const squeeze = (word: string): string => word.replace(/(.)\1+/g, '$1');
const words = (text: string): string[] => normaliseReply(text).split(' ').filter(Boolean).map(squeeze);
const vocabulary = (phrases: readonly string[]): string[][] => phrases.map(words);

const fillers = new Set(
  words(
    'hola buenos buenas buen dia dias tardes noches gracias muchas mil por favor doctor doctora dr dra señor señora ' +
      'señorita saludos hello hi thanks thank you please',
  ),
);

const optOutWhole = vocabulary(['baja', 'stop', 'alto', 'unsubscribe', 'no más', 'no más mensajes', 'parar', 'stop all']);
// "ALTA" (and its English peers) opts the patient back in; only the whole message, never a word inside a sentence.
const optInWhole = vocabulary(['alta', 'darme de alta', 'dar de alta', 'de alta', 'start', 'unstop', 'subscribe', 'suscribir', 'suscribirme']);
// "CANCELAR" alone means "stop the messages" when it answers no reminder (a campaign, a follow-up, nothing).
const bareCancel = vocabulary(['cancelar', 'cancel']);
const optOutAnywhere = vocabulary([
  'no más mensajes',
  'no me envíen más',
  'no me manden más',
  'no me escriban más',
  'darme de baja',
  'dar de baja',
  'no quiero recibir',
  'no deseo recibir',
  'dejen de enviar',
  'dejen de escribir',
  'cancelar suscripción',
  'unsubscribe',
  'stop messages',
]);
const confirmWhole = vocabulary([
  '1', 'opción 1', 'si', 's', 'ok', 'okay', 'okey', 'oki', 'vale', 'yes', 'y', 'sure', 'confirm', 'confirmed',
  'confirmo', 'confirmado', 'confirmada', 'confirmar', 'de acuerdo', 'claro', 'perfecto', 'listo', 'correcto',
  'asistiré', 'ahí estaré', 'allí estaré', 'alli estare',
]);
const confirmAnywhere = vocabulary([
  'confirmo', 'confirmado', 'confirmada', 'confirmar', 'confirm', 'confirmed', 'asistiré', 'ahí estaré', 'allí estaré',
]);
// Said first, these mean yes ("Sí, gracias, ahí nos vemos"); later in a sentence "si" is often "if".
const confirmFirst = new Set(words('si ok okay okey oki yes vale claro perfecto listo'));
const cancelWhole = vocabulary([
  '2', 'opción 2', 'no', 'n', 'nop', 'nope', 'cancel', 'cancelar', 'cancelo', 'cancelada', 'cancelado', 'anular',
]);
const cancelAnywhere = vocabulary([
  'no puedo', 'no podré', 'no podremos', 'no podemos', 'no iré', 'no voy', 'no vamos', 'no asistiré', 'no voy a poder',
  'cancelar', 'cancelo', 'cancela', 'cancele', 'cancelen', 'anular', 'anulo', 'anulen', 'cancel', 'cannot', 'can t',
  'cant', 'won t', 'will not',
]);
const rescheduleWhole = vocabulary(['3', 'opción 3']);
const rescheduleAnywhere = vocabulary([
  'reprogramar', 'reprogramo', 'reprograme', 'reprogramen', 'reprogramación', 'reagendar', 'reagende', 'reagenden',
  'cambiar la cita', 'cambiar cita', 'cambiar la hora', 'cambiar la fecha', 'cambiar de hora', 'cambiar de fecha',
  'otro día', 'otra hora', 'otra fecha', 'otro horario', 'posponer', 'postergar', 'mover la cita', 'reschedule',
  'another day', 'another time',
]);

const positiveEmoji = /[\u{1F44D}\u{1F44C}\u{2705}\u{2714}]/u; // 👍 👌 ✅ ✔
const payloadPattern = /^\s*(CONFIRM|CANCEL|RESCHEDULE):(\d+)\s*$/i;
const payloadIntent: Record<string, ReplyIntent> = { confirm: 'confirm', cancel: 'cancel', reschedule: 'reschedule' };

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

function contains(haystack: readonly string[], needle: readonly string[]): boolean {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((w, j) => haystack[i + j] === w)) return true;
  }
  return false;
}

const anyWhole = (tokens: readonly string[], list: readonly string[][]): boolean => list.some((p) => same(tokens, p));
const anyWithin = (tokens: readonly string[], list: readonly string[][]): boolean =>
  list.some((p) => contains(tokens, p));

/**
 * What a patient's reply means. Button payloads are exact; free text is matched against Spanish and English words,
 * whatever the accents, case, punctuation or emoji. Conflicting signals ("sí, pero no puedo") are `unknown`: a person
 * reads them rather than Avisa guessing a cancellation.
 */
export function parseReplyIntent(body: string, payload?: string | null): ParsedReply {
  const exact = payloadPattern.exec(payload ?? '') ?? payloadPattern.exec(body);
  if (exact) {
    return {
      intent: payloadIntent[(exact[1] ?? '').toLowerCase()] ?? 'unknown',
      appointmentId: Number(exact[2]),
      attention: false,
    };
  }
  const all = words(body);
  const tokens = all.filter((w) => !fillers.has(w));
  const attention = body.includes('?') || all.length > 8;
  const result = (intent: ReplyIntent): ParsedReply => ({ intent, appointmentId: null, attention });

  if (anyWhole(tokens, optOutWhole) || anyWithin(all, optOutAnywhere)) return result('opt_out');
  if (anyWhole(tokens, optInWhole)) return result('opt_in');
  if (tokens.length === 0) return result(positiveEmoji.test(body) ? 'confirm' : 'unknown');
  if (anyWhole(tokens, confirmWhole)) return result('confirm');
  if (anyWhole(tokens, cancelWhole)) return result('cancel');
  if (anyWhole(tokens, rescheduleWhole)) return result('reschedule');

  // Someone who cannot come and asks for another date wants a new time, not just a cancellation.
  if (anyWithin(all, rescheduleAnywhere)) return result('reschedule');
  const cancel = anyWithin(all, cancelAnywhere) || tokens[0] === 'no';
  const confirm = anyWithin(all, confirmAnywhere) || confirmFirst.has(tokens[0] ?? '') || positiveEmoji.test(body);
  if (cancel && confirm) return result('unknown');
  if (cancel) return result('cancel');
  if (confirm) return result('confirm');
  return result('unknown');
}

export interface ReplyToApply {
  /** The stored reply (outbox.recordReply's id). */
  replyId: number;
  /** The message it answers, when known (replies.message_id). */
  messageId: number | null;
  fromPhone: string;
  body: string;
  /** A quick-reply payload or button id, when the patient tapped a button. */
  payload?: string | null;
}

export interface AppointmentAnswered {
  appointmentId: number;
  source: string;
  sourceKey: string;
  status: 'confirmed' | 'cancelled';
  at: number;
}

export interface ApplyReplyOptions {
  db: Db;
  outbox: Outbox;
  planner: Planner;
  now: () => number;
  language: () => Language;
  /**
   * Called after an answer changed an appointment, once it is committed: the clinic-database write-back starts here.
   * The answer also waits in appointment_answers until marked written back, so a crash before the call loses nothing.
   */
  onAppointmentAnswered?: (answer: AppointmentAnswered) => void;
}

export interface ReplyResult {
  intent: ReplyIntent;
  appointmentId: number | null;
  outcome: ReplyOutcome;
  /** For the receptionist, when the outcome is `attention` or `unchanged`. */
  reason: string | null;
  /** This reply had been handled before: nothing was done again. */
  duplicate: boolean;
}

type Note =
  | 'unknown'
  | 'reschedule'
  | 'no_appointment'
  | 'other_phone'
  | 'past'
  | 'not_active'
  | 'already'
  | 'opted_out'
  | 'opted_in'
  | 'applied_but_read';

const notes: Record<Note, Record<Language, string>> = {
  unknown: {
    es: 'Respuesta no reconocida: atiéndala personalmente.',
    en: 'Reply not understood: please attend to it in person.',
  },
  reschedule: {
    es: 'El paciente pide reprogramar la cita: contáctelo para darle otra hora.',
    en: 'The patient asks to reschedule: contact them to offer another time.',
  },
  no_appointment: {
    es: 'No se pudo saber a qué cita responde: revise la conversación.',
    en: 'Could not tell which appointment this answers: check the conversation.',
  },
  other_phone: {
    es: 'La respuesta llegó de un número distinto al del paciente de la cita.',
    en: "The reply came from a number other than the appointment's patient.",
  },
  past: { es: 'La cita ya pasó.', en: 'The appointment has already passed.' },
  not_active: {
    es: 'La cita ya no está pendiente (cancelada o atendida): revise la respuesta.',
    en: 'The appointment is no longer pending (cancelled or attended): check the reply.',
  },
  already: { es: 'La cita ya estaba así.', en: 'The appointment was already so.' },
  opted_out: {
    es: 'El paciente pidió no recibir más mensajes: se detuvieron sus campañas y seguimientos; resultados, documentos y recordatorios siguen la política de la clínica.',
    en: 'The patient asked to receive no more messages: their campaigns and follow-ups were stopped; results, documents and reminders follow the clinic policy.',
  },
  opted_in: {
    es: 'El paciente escribió ALTA: vuelve a recibir mensajes por WhatsApp.',
    en: 'The patient wrote ALTA (opt in): they receive WhatsApp messages again.',
  },
  applied_but_read: {
    es: 'Se registró la respuesta, y además escribió algo que conviene leer.',
    en: 'The answer was recorded, and the patient also wrote something worth reading.',
  },
};

// Messages the patient did not ask for; results and documents they requested still go (DESIGN, invariant 5).
const businessInitiated: readonly MessageKind[] = ['campaign', 'followup'];

/**
 * Acts on a reply: a confirmation or cancellation updates the appointment in Avisa (and queues the write-back), an
 * opt-out stops every business-initiated message to that phone at once, and everything else waits for a person.
 * Idempotent per reply.
 */
export function applyReplyIntent(o: ApplyReplyOptions, reply: ReplyToApply): ReplyResult {
  const lang = o.language();
  const previous = replyIntentOf(o.db, reply.replyId);
  if (previous) {
    return { ...previous, reason: previous.reason, duplicate: true };
  }
  const understood = parseReplyIntent(reply.body, reply.payload);
  const appointmentId =
    understood.appointmentId ?? (reply.messageId !== null ? appointmentOfMessage(o.db, reply.messageId) : null);
  const answersNoReminder = appointmentId === null && !payloadPattern.test(reply.payload ?? '');
  const parsed: ParsedReply =
    understood.intent === 'cancel' && answersNoReminder && anyWhole(words(reply.body), bareCancel)
      ? { ...understood, intent: 'opt_out' }
      : understood;
  const now = o.now();
  let answered: AppointmentAnswered | null = null;

  const decide = (): { outcome: ReplyOutcome; note: Note | null } => {
    switch (parsed.intent) {
      case 'unknown':
        return { outcome: 'attention', note: 'unknown' };
      case 'reschedule':
        return { outcome: 'attention', note: 'reschedule' };
      case 'opt_out':
        optOut(o, reply, now, lang);
        return { outcome: 'applied', note: 'opted_out' };
      case 'opt_in':
        optIn(o, reply, now);
        return { outcome: 'applied', note: 'opted_in' };
      case 'confirm':
      case 'cancel': {
        const apt = appointmentId !== null ? answeredAppointment(o.db, appointmentId) : undefined;
        if (!apt) return { outcome: 'attention', note: 'no_appointment' };
        if (apt.phoneE164 !== null && apt.phoneE164 !== reply.fromPhone) {
          return { outcome: 'attention', note: 'other_phone' };
        }
        if (apt.startsAt <= now) return { outcome: 'attention', note: 'past' };
        const to = parsed.intent === 'confirm' ? 'confirmed' : 'cancelled';
        if (apt.status === to) return { outcome: 'unchanged', note: 'already' };
        if (apt.status !== 'booked' && apt.status !== 'confirmed') return { outcome: 'attention', note: 'not_active' };
        if (!setAppointmentStatus(o.db, apt.id, apt.status, to, now)) {
          return { outcome: 'attention', note: 'not_active' };
        }
        const replyId = reply.replyId;
        recordAppointmentAnswer(o.db, { appointmentId: apt.id, answer: to, startsAt: apt.startsAt, replyId, at: now });
        const entry = { actor: 'patient', action: `appointment.${to}`, entity: 'appointment', entityId: apt.id };
        appendAudit(o.db, { ...entry, data: { replyId } }, now);
        if (to === 'cancelled') o.planner.planAppointment(apt.id);
        answered = { appointmentId: apt.id, source: apt.source, sourceKey: apt.sourceKey, status: to, at: now };
        return parsed.attention
          ? { outcome: 'attention', note: 'applied_but_read' }
          : { outcome: 'applied', note: null };
      }
    }
  };

  const { outcome, note } = o.db.transaction(() => {
    const decision = decide();
    insertReplyIntent(o.db, {
      replyId: reply.replyId,
      appointmentId,
      intent: parsed.intent,
      outcome: decision.outcome,
      reason: decision.note ? notes[decision.note][lang] : null,
      at: now,
    });
    return decision;
  })();
  const done = answered as AppointmentAnswered | null;
  if (done && o.onAppointmentAnswered) {
    try {
      o.onAppointmentAnswered(done);
    } catch (error) {
      // The answer stays pending in appointment_answers; the write-back retries from there.
      console.error('[avisa] appointment write-back hook failed', error);
    }
  }
  return { intent: parsed.intent, appointmentId, outcome, reason: note ? notes[note][lang] : null, duplicate: false };
}

/** The patient's own words, kept in the consent history as the reason for the change. */
const noteOf = (body: string): string => `«${body.trim().slice(0, 80)}»`;

function optOut(o: ApplyReplyOptions, reply: ReplyToApply, now: number, lang: Language): void {
  const policy = getConsentPolicy(o.db);
  // Campaigns and follow-ups stop at once; what the patient asked for (results, documents) follows the clinic policy.
  const stopped: MessageKind[] = [...businessInitiated];
  if (!policy.resultsAfterOptOut) stopped.push('result');
  if (!policy.documentsAfterOptOut) stopped.push('document');
  for (const patientId of patientIdsByPhone(o.db, reply.fromPhone)) {
    const change = { status: 'opted_out', source: 'patient_message', actor: 'patient', replyId: reply.replyId, note: noteOf(reply.body) } as const;
    if (setPatientConsent(o.db, patientId, change, now)) {
      appendAudit(o.db, { actor: 'patient', action: 'patient.opted_out', entity: 'patient', entityId: patientId, data: { replyId: reply.replyId } }, now);
    }
    for (const id of queuedMessageIdsOfPatient(o.db, patientId, stopped)) {
      const errorReason = notes.opted_out[lang];
      o.outbox.move(id, 'cancelled', { errorCode: 'patient.opted_out', errorReason, actor: 'patient' });
    }
    // Reminders are withdrawn (or kept, by policy) by the planner, which also shows why on the appointment.
    o.planner.planPatient(patientId);
  }
}

function optIn(o: ApplyReplyOptions, reply: ReplyToApply, now: number): void {
  for (const patientId of patientIdsByPhone(o.db, reply.fromPhone)) {
    const change = { status: 'opted_in', source: 'patient_message', actor: 'patient', replyId: reply.replyId, note: noteOf(reply.body) } as const;
    if (setPatientConsent(o.db, patientId, change, now)) {
      appendAudit(o.db, { actor: 'patient', action: 'patient.opted_in', entity: 'patient', entityId: patientId, data: { replyId: reply.replyId } }, now);
    }
    // Reminders of appointments still ahead are planned again.
    o.planner.planPatient(patientId);
  }
}
