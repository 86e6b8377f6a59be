import type { Language } from '../../../shared/domain';
import type { Role } from '../../../shared/people';

export type Reason = Record<Language, string>;

const ROLE_NAMES: Record<Role, Reason> = {
  admin: { es: 'Administración', en: 'Administration' },
  reception: { es: 'Recepción', en: 'Reception' },
  professional: { es: 'Profesional de salud', en: 'Health professional' },
};

const minutes = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 60_000));
const seconds = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1_000));

// Why the core refused to sign someone in or to run a call, in words the person at the desk understands.
export const peopleReasons = {
  wrongSecret: (): Reason => ({
    es: 'La contraseña o el PIN no es correcto.',
    en: 'The password or PIN is not correct.',
  }),
  locked: (retryAt: number, now: number): Reason => ({
    es: `Demasiados intentos fallidos: el acceso está bloqueado durante ${minutes(retryAt, now)} min.`,
    en: `Too many failed attempts: access is locked for ${minutes(retryAt, now)} min.`,
  }),
  slowDown: (retryAt: number, now: number): Reason => ({
    es: `Espere ${seconds(retryAt, now)} s antes de intentar de nuevo.`,
    en: `Wait ${seconds(retryAt, now)} s before trying again.`,
  }),
  inactive: (): Reason => ({ es: 'Esta persona está desactivada.', en: 'This person is deactivated.' }),
  signInRequired: (): Reason => ({
    es: 'Inicie sesión para continuar.',
    en: 'Sign in to continue.',
  }),
  forbidden: (roles: readonly Role[]): Reason => ({
    es: `No tiene permiso para esta acción: requiere el rol ${roles.map((r) => ROLE_NAMES[r].es).join(' o ')}.`,
    en: `You are not allowed to do this: it needs the ${roles.map((r) => ROLE_NAMES[r].en).join(' or ')} role.`,
  }),
  toManyForAdmin: (): Reason => ({
    es: 'Lanzar una campaña o enviar a muchos pacientes a la vez requiere el rol Administración: Recepción puede hacerlo si Administración lo permite en Ajustes → Personas.',
    en: 'Launching a campaign or sending to many patients at once needs the Administration role: Reception may do it when Administration allows it in Settings → People.',
  }),
  scopeMissing: (scope: string): Reason => ({
    es: `Esta clave de API no tiene el permiso «${scope}».`,
    en: `This API key lacks the “${scope}” scope.`,
  }),
  apiKeyNotAllowed: (): Reason => ({
    es: 'Esta operación no está disponible con una clave de API.',
    en: 'This operation is not available with an API key.',
  }),
  alreadyBootstrapped: (): Reason => ({
    es: 'Ya existe un administrador: inicie sesión.',
    en: 'An administrator already exists: sign in.',
  }),
  bootstrapRemote: (): Reason => ({
    es: 'El primer administrador se crea desde el propio equipo del servidor.',
    en: 'The first administrator is created from the server computer itself.',
  }),
  pinFormat: (): Reason => ({ es: 'El PIN debe tener de 6 a 8 dígitos.', en: 'The PIN must have 6 to 8 digits.' }),
  passwordShort: (): Reason => ({
    es: 'La contraseña debe tener al menos 8 caracteres.',
    en: 'The password must have at least 8 characters.',
  }),
  duplicateDocument: (): Reason => ({
    es: 'Ya existe una persona con ese número de documento.',
    en: 'A person with that document number already exists.',
  }),
  secretRequired: (): Reason => ({
    es: 'Para cambiar entre PIN y contraseña, escriba la nueva clave.',
    en: 'To switch between PIN and password, type the new secret.',
  }),
  registryRequired: (): Reason => ({
    es: 'Un profesional de salud necesita su número de colegiatura (CMP, CTMP…).',
    en: 'A health professional needs their registry number (CMP, CTMP…).',
  }),
  lastAdmin: (): Reason => ({
    es: 'Debe quedar al menos un administrador activo.',
    en: 'At least one active administrator must remain.',
  }),
  notFound: (): Reason => ({ es: 'No se encontró el registro.', en: 'The record was not found.' }),
  desktopOnly: (): Reason => ({
    es: 'Esta acción es del equipo de escritorio; en el navegador use la pantalla de inicio de sesión.',
    en: 'This is a desktop action; in a browser use the sign-in screen.',
  }),
  notProfessional: (): Reason => ({
    es: 'Solo un profesional de salud con número de colegiatura puede validar.',
    en: 'Only a health professional with a registry number can validate.',
  }),
  awaitingValidation: (): Reason => ({
    es: 'Espera la validación de un profesional de salud antes de enviarse.',
    en: 'Waiting for a health professional to validate it before it is sent.',
  }),
};

export class PeopleError extends Error {
  constructor(
    readonly code: string,
    readonly reason: Reason,
  ) {
    super(reason.en);
  }
}
