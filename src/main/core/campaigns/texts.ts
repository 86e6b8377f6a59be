import type { Language } from '../../../shared/domain';

type Texts = Record<Language, string>;

/** Reasons a receptionist reads on campaign and follow-up messages that did not go. */
export const campaignTexts = {
  cancelled: {
    es: 'Se canceló la campaña antes de que saliera este mensaje.',
    en: 'The campaign was cancelled before this message left.',
  },
  optedOutAtSend: {
    es: 'El paciente pidió no recibir mensajes (BAJA) antes de que saliera: no se envió.',
    en: 'The patient asked not to receive messages (STOP) before it left: not sent.',
  },
  noConsentAtSend: {
    es: 'El paciente ya no tiene consentimiento registrado: no se envió.',
    en: 'The patient no longer has consent on record: not sent.',
  },
  ruleDeleted: {
    es: 'Se eliminó la regla de seguimiento antes de que saliera.',
    en: 'The follow-up rule was deleted before it left.',
  },
  ruleDisabled: {
    es: 'Se desactivó la regla de seguimiento antes de que saliera.',
    en: 'The follow-up rule was disabled before it left.',
  },
  notAttended: {
    es: 'La cita ya no figura como atendida.',
    en: 'The appointment is no longer marked as attended.',
  },
  notFound: { es: 'No existe esa campaña.', en: 'No such campaign.' },
  notDraft: {
    es: 'Solo se puede programar una campaña en borrador.',
    en: 'Only a draft campaign can be scheduled.',
  },
  cannotCancel: {
    es: 'La campaña ya terminó o ya estaba cancelada.',
    en: 'The campaign has already finished or was cancelled.',
  },
  noContent: {
    es: 'Elija una plantilla o escriba el texto del mensaje.',
    en: 'Choose a template or write the message text.',
  },
  badDate: {
    es: 'La fecha y hora no son válidas.',
    en: 'The date and time are not valid.',
  },
  nobody: {
    es: 'El segmento no alcanza a ningún paciente con consentimiento y celular válido.',
    en: 'The segment reaches no patient with consent and a valid mobile number.',
  },
  ruleNotFound: { es: 'No existe esa regla de seguimiento.', en: 'No such follow-up rule.' },
} satisfies Record<string, Texts>;
