import type { ExclusionCode } from '../../../shared/campaigns';
import type { Language } from '../../../shared/domain';

type Texts = Record<Language, string>;

/** Why a patient of a segment gets no campaign message, for the receptionist. */
export const exclusionReasons: Record<ExclusionCode, Texts> = {
  no_consent: {
    es: 'No autorizó mensajes por WhatsApp: registre su consentimiento en Pacientes.',
    en: 'Has not agreed to WhatsApp messages: record their consent in Patients.',
  },
  opted_out: { es: 'Pidió no recibir mensajes (BAJA).', en: 'Asked not to receive messages (STOP).' },
  no_phone: {
    es: 'No tiene un celular válido: corrija su teléfono en Pacientes.',
    en: 'Has no valid mobile number: fix it in Patients.',
  },
};

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
