import { ZodError } from 'zod';
import type { ApiResponse, HandlerName } from '../../../shared/api';
import type { HandlersFor } from '../api/handler-context';
import { HandlerError } from '../api/handler-error';
import { argSchemas } from '../api/schemas';
import { CampaignError } from '../campaigns/campaigns';
import { text } from '../i18n';
import { DuplicatePatientError } from '../intake/patients';
import { OutboxError } from '../outbox/outbox';
import { OperationsError } from '../api/operations-handlers';
import type { Language } from '../../../shared/domain';
import { runAs } from '../audit/acting';
import { guardCall } from '../api/dispatch-guard';
import type { Caller, DesktopSeat } from '../people/caller';
import type { PeopleService } from '../people/people-service';

/**
 * The one door into the handlers, for IPC and HTTP alike: who calls and whether they may (api/permissions.ts), then
 * arguments checked, refusals turned into codes and reasons. The handler runs with its caller known to the audit trail.
 */
export function invoker(
  handlers: HandlersFor<HandlerName>,
  language: () => Language,
  access: { people: PeopleService; seat: DesktopSeat },
  onInternalError: (error: unknown) => void = () => undefined,
) {
  return async (name: string, args: unknown, caller: Caller = { via: 'process' }): Promise<ApiResponse<unknown>> => {
    if (!Object.hasOwn(argSchemas, name)) {
      return { ok: false, error: { code: 'unknown_handler', message: text(language(), 'error.unknown_handler', name) } };
    }
    const key = name as keyof typeof argSchemas;
    // Before the arguments are even read.
    const guard = guardCall(key as HandlerName, caller, access, language());
    if (!guard.ok) return guard.response;
    return runAs(guard.scope, () => run(key, args));
  };

  async function run(key: keyof typeof argSchemas, args: unknown): Promise<ApiResponse<unknown>> {
    const name = key;
    try {
      const parsed: unknown = argSchemas[key].parse(args ?? {});
      const handler = handlers[key] as (a: unknown) => unknown;
      return { ok: true, result: await handler(parsed) };
    } catch (error) {
      if (error instanceof ZodError) {
        const detail = error.issues.map((i) => `${i.path.join('.') || '·'}: ${i.message}`).join('; ');
        return { ok: false, error: { code: 'invalid_args', message: text(language(), 'error.invalid_args', detail) } };
      }
      if (error instanceof HandlerError || error instanceof OutboxError || error instanceof CampaignError || error instanceof OperationsError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      if (error instanceof DuplicatePatientError) {
        return { ok: false, error: { code: 'duplicate_patient', message: error.message } };
      }
      // A full disk or a locked file pauses sending and is said in the header, not only in this answer.
      onInternalError(error);
      console.error(`[avisa] ${name} failed`, error);
      return { ok: false, error: { code: 'internal', message: text(language(), 'error.internal', String(error)) } };
    }
  }
}
