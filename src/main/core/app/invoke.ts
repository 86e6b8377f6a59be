import { ZodError } from 'zod';
import type { ApiResponse } from '../../../shared/api';
import type { Handlers } from '../api/handlers';
import { HandlerError } from '../api/handler-error';
import { argSchemas } from '../api/schemas';
import { CampaignError } from '../campaigns/campaigns';
import { text } from '../i18n';
import { DuplicatePatientError } from '../intake/patients';
import { OutboxError } from '../outbox/outbox';
import type { Language } from '../../../shared/domain';

/** The one door into the handlers, for IPC and HTTP alike: arguments checked, refusals turned into codes and reasons. */
export function invoker(handlers: Handlers, language: () => Language) {
  return async (name: string, args: unknown): Promise<ApiResponse<unknown>> => {
    if (!Object.hasOwn(argSchemas, name)) {
      return { ok: false, error: { code: 'unknown_handler', message: text(language(), 'error.unknown_handler', name) } };
    }
    const key = name as keyof typeof argSchemas;
    try {
      const parsed: unknown = argSchemas[key].parse(args ?? {});
      const handler = handlers[key] as (a: unknown) => unknown;
      return { ok: true, result: await handler(parsed) };
    } catch (error) {
      if (error instanceof ZodError) {
        const detail = error.issues.map((i) => `${i.path.join('.') || '·'}: ${i.message}`).join('; ');
        return { ok: false, error: { code: 'invalid_args', message: text(language(), 'error.invalid_args', detail) } };
      }
      if (error instanceof HandlerError || error instanceof OutboxError || error instanceof CampaignError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      if (error instanceof DuplicatePatientError) {
        return { ok: false, error: { code: 'duplicate_patient', message: error.message } };
      }
      console.error(`[avisa] ${name} failed`, error);
      return { ok: false, error: { code: 'internal', message: text(language(), 'error.internal', String(error)) } };
    }
  };
}
