import type { HandlerName } from '../../../shared/api';
import type { OperationsHandlers } from '../../../shared/operations';
import { auditHandlers } from './audit-handlers';
import { campaignHandlers } from './campaign-handlers';
import { channelHandlers } from './channel-handlers';
import { confirmationHandlers } from './confirmation-handlers';
import { consentHandlers } from './consent-handlers';
import { languageOf, type HandlerContext, type HandlersFor } from './handler-context';
import { hl7Handlers } from './hl7-handlers';
import { clinicDbHandlers } from './clinic-db-handlers';
import { remoteAccessHandlers } from './remote-access-handlers';
import { messageHandlers } from './message-handlers';
import { emailCopyHandlers } from './email-copy-handlers';
import { panelHandlers } from './panel-handlers';
import { patientHandlers } from './patient-handlers';
import { reminderHandlers } from './reminder-handlers';
import { resultsHandlers } from './results-handlers';
import { settingsHandlers } from './settings-handlers';
import { receptionHandlers } from './reception-handlers';
import { integratorHandlers } from './integrator-handlers';
import { setupHandlers } from './setup-handlers';
import { peopleHandlers } from './people-handlers';
import { signOffHandlers } from './sign-off-handlers';
import { signingHandlers } from './signing-handlers';
import { undeliveredHandlers } from './undelivered-handlers';

// Backups, restore, jobs and storage have their handlers in operations-handlers.ts, joined in app.ts.
export type Handlers = HandlersFor<Exclude<HandlerName, keyof OperationsHandlers>>;

/** Every handler of the API, one module per capability; the type check fails if a name has none. */
export function createHandlers(ctx: HandlerContext): Handlers {
  return {
    ...setupHandlers(ctx),
    ...panelHandlers(ctx),
    ...messageHandlers(ctx),
    ...emailCopyHandlers(ctx),
    ...patientHandlers(ctx),
    ...settingsHandlers(ctx),
    ...channelHandlers(ctx),
    ...auditHandlers(ctx),
    ...reminderHandlers(ctx, ctx.planner),
    ...confirmationHandlers(ctx),
    ...hl7Handlers(ctx),
    ...clinicDbHandlers(ctx),
    ...remoteAccessHandlers(ctx),
    ...consentHandlers(ctx),
    ...resultsHandlers(ctx, ctx.resultsIntake, ctx.documentPipeline),
    ...signingHandlers(ctx, ctx.tokenCredential),
    ...undeliveredHandlers(ctx),
    ...campaignHandlers({ ...ctx, language: languageOf(ctx) }),
    ...peopleHandlers(ctx),
    ...signOffHandlers(ctx),
    ...receptionHandlers(ctx),
    ...integratorHandlers(ctx),
  };
}
