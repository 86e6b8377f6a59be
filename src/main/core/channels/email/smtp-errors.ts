import type { FailureClass } from '../channel';

/** What a failed SMTP exchange means for one e-mail, with the words a receptionist reads on the message. */
export interface SmtpFailure {
  code: string;
  failure: FailureClass;
  es: string;
  en: string;
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

// Never 'account': an SMTP problem must not pause WhatsApp, which still works. Each e-mail fails with the reason and
// can be resent once the settings are fixed.
export function classifySmtpError(error: unknown): SmtpFailure {
  const e = (error ?? {}) as NodemailerError;
  const detail = (e.response ?? e.message ?? '').slice(0, 200);
  switch (e.code) {
    case 'EAUTH':
    case 'ENOAUTH':
      return {
        code: 'smtp_auth',
        failure: 'permanent',
        es: `El servidor de correo rechazó el usuario o la contraseña: revise Ajustes → Correo (SMTP). ${detail}`.trim(),
        en: `The mail server refused the user name or password: check Settings → E-mail (SMTP). ${detail}`.trim(),
      };
    case 'EENVELOPE':
      if (e.responseCode !== undefined && e.responseCode < 500) break;
      return {
        code: 'smtp_recipient_rejected',
        failure: 'permanent',
        es: `El servidor de correo rechazó la dirección del paciente: corríjala en Pacientes. ${detail}`.trim(),
        en: `The mail server refused the patient's address: correct it in Patients. ${detail}`.trim(),
      };
    case 'ETLS':
    case 'EREQUIRETLS':
      return {
        code: 'smtp_tls',
        failure: 'permanent',
        es: 'No se pudo establecer una conexión segura con el servidor de correo: revise el puerto y el tipo de seguridad.',
        en: 'A secure connection to the mail server could not be made: check the port and the security type.',
      };
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS':
    case 'EPROXY':
      return {
        code: 'smtp_connection',
        failure: 'transient',
        es: 'No se pudo conectar con el servidor de correo (¿apagado, sin red o dirección errónea?). Se reintentará.',
        en: 'Could not connect to the mail server (down, no network, or wrong address?). It will be retried.',
      };
  }
  if (e.responseCode !== undefined && e.responseCode >= 500) {
    return {
      code: `smtp_${e.responseCode}`,
      failure: 'permanent',
      es: `El servidor de correo rechazó el mensaje: ${detail}`,
      en: `The mail server refused the message: ${detail}`,
    };
  }
  return {
    code: e.responseCode !== undefined ? `smtp_${e.responseCode}` : 'smtp_error',
    failure: 'transient',
    es: `El servidor de correo no aceptó el mensaje por ahora; se reintentará. ${detail}`.trim(),
    en: `The mail server did not take the message for now; it will be retried. ${detail}`.trim(),
  };
}
