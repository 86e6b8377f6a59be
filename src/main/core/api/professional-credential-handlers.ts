import type { ArgsOf, ResultOf } from '../../../shared/api';
import type { ProfessionalCredentialView, ProfessionalSigningHandlers } from '../../../shared/signing-api';
import { currentCall, GENERIC_PERSON } from '../audit/acting';
import { loadCertificate } from '../documents/certificate';
import { listTokenCertificates, TokenError } from '../documents/pkcs11-token';
import type { ProfessionalCredentials } from '../documents/professional-credentials';
import { professionalReasons } from '../documents/texts';
import type { ResultsIntake } from '../intake/results-intake';
import { getPerson } from '../store/people-repo';
import {
  type StoredProfessionalCredential,
  getProfessionalCredential,
  listProfessionalCredentials,
  putProfessionalCredential,
  removeProfessionalCredential,
} from '../store/professional-credentials-repo';
import { validationsOf } from '../store/validations-repo';
import type { HandlerContext } from './handler-context';
import { HandlerError } from './handler-error';

type Names = Exclude<keyof ProfessionalSigningHandlers, 'results.validateSigned'>;
type Handlers = { [N in Names]: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

/** Review codes of results that wait only for a usable signing credential. */
const WAITING_FOR_SIGNATURE = new Set(['no_certificate', 'certificate']);

/**
 * A professional's own credential: linked to their person by an administrator (Ajustes → Certificado), opened by the
 * professional with their PIN or password when they validate, or for all their waiting results at once.
 */
export function professionalCredentialHandlers(ctx: HandlerContext): Handlers {
  const lang = () => ctx.settings.get().language;
  const professionals: ProfessionalCredentials = ctx.professionals;

  const professionalPerson = (personId: number) => {
    const person = getPerson(ctx.db, personId);
    if (!person || !person.active || !person.roles.includes('professional') || !person.registryNumber) {
      throw new HandlerError('not_professional', professionalReasons.not_professional()[lang()]);
    }
    return person;
  };

  const view = (c: StoredProfessionalCredential): ProfessionalCredentialView => {
    const person = getPerson(ctx.db, c.personId);
    return {
      personId: c.personId,
      personName: person?.name ?? '',
      registryNumber: person?.registryNumber ?? null,
      kind: c.kind,
      subject: c.subject,
      notAfter: c.notAfter,
      tokenSerial: c.tokenSerial,
      open: professionals.isOpen(c.personId),
    };
  };

  const linked = (personId: number, link: Omit<StoredProfessionalCredential, 'personId' | 'updatedAt'>): ProfessionalCredentialView => {
    const stored = { ...link, personId, updatedAt: ctx.now() } as StoredProfessionalCredential;
    professionals.lock(personId);
    putProfessionalCredential(ctx.db, stored);
    ctx.audit('signing.professional_linked', 'person', personId, { kind: link.kind, subject: link.subject, notAfter: link.notAfter });
    return view(stored);
  };

  const me = (): number => {
    const actor = currentCall()?.actor;
    if (actor?.kind !== 'person') throw new HandlerError('not_professional', professionalReasons.not_professional()[lang()]);
    return actor.person.id;
  };

  /** Intake ids of the results this person validated that wait for a signature. */
  const waitingFor = (intake: ResultsIntake, personId: number): number[] => {
    const ids: number[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = intake.listReviewQueue({ limit: 200, offset });
      const rows = page.rows.filter((r) => WAITING_FOR_SIGNATURE.has(r.code) && r.resultId !== null);
      const mine = new Set(validationsOf(ctx.db, rows.map((r) => r.resultId as number)).filter((v) => v.personId === personId).map((v) => v.resultId));
      ids.push(...rows.filter((r) => mine.has(r.resultId as number)).map((r) => r.id));
      if (offset + 200 >= page.total) return ids;
    }
  };

  return {
    'professional.credentials': () => listProfessionalCredentials(ctx.db).map(view),
    'professional.linkToken': async (args) => {
      professionalPerson(args.personId);
      let found;
      try {
        found = (await listTokenCertificates(args.modulePath, args.tokenSerial, new Date(ctx.now()))).find(
          (c) => c.id.toLowerCase() === args.certificateId.toLowerCase(),
        );
      } catch (error) {
        if (error instanceof TokenError) throw new HandlerError(error.code, error.reason[lang()]);
        throw error;
      }
      if (!found) throw new HandlerError('no_token_key', lang() === 'en' ? 'That certificate is not on the token.' : 'Ese certificado no está en el token.');
      return linked(args.personId, {
        kind: 'token',
        modulePath: args.modulePath,
        tokenSerial: args.tokenSerial,
        certificateId: found.id,
        p12Sealed: null,
        subject: found.info.subject.commonName ?? found.info.subject.dn,
        notAfter: found.info.notAfter,
      });
    },
    'professional.linkP12': (args) => {
      professionalPerson(args.personId);
      const p12 = Buffer.from(args.base64, 'base64');
      // Opened once to check it (password, key, validity), with the password typed now; only the file is kept.
      const loaded = loadCertificate(p12, args.password, new Date(ctx.now()));
      if (!loaded.ok) throw new HandlerError(loaded.code, loaded.reason[lang()]);
      const info = loaded.identity.info;
      return linked(args.personId, {
        kind: 'p12',
        modulePath: null,
        tokenSerial: null,
        certificateId: null,
        p12Sealed: professionals.sealP12(p12),
        subject: info.subject.commonName ?? info.subject.dn,
        notAfter: info.notAfter,
      });
    },
    'professional.unlink': (args) => {
      professionals.lock(args.personId);
      if (removeProfessionalCredential(ctx.db, args.personId)) ctx.audit('signing.professional_unlinked', 'person', args.personId);
      return { ok: true };
    },
    'professional.mine': () => {
      const personId = me();
      const link = getProfessionalCredential(ctx.db, personId);
      if (!link) return { linked: false };
      return {
        linked: true,
        kind: link.kind,
        subject: link.subject,
        notAfter: link.notAfter,
        open: professionals.isOpen(personId),
        waiting: waitingFor(ctx.resultsIntake, personId).length,
      };
    },
    'professional.signMine': async (args) => {
      const personId = me();
      const pending = waitingFor(ctx.resultsIntake, personId);
      const unlocked = await professionals.unlock(personId, args.secret);
      if (!unlocked.ok) {
        // Which PIN was typed is never recorded; that one was refused is.
        ctx.audit('signing.professional_refused', 'person', personId, { code: unlocked.code });
        return { ok: false, code: unlocked.code, reason: unlocked.reason[lang()], signed: 0, waiting: pending.length };
      }
      let signed = 0;
      try {
        for (const id of pending) {
          const outcome = await ctx.resultsIntake.approve(id, GENERIC_PERSON).catch(() => null);
          if (outcome?.state === 'queued') signed += 1;
        }
      } finally {
        professionals.release(personId);
      }
      const waiting = waitingFor(ctx.resultsIntake, personId).length;
      ctx.audit('signing.professional_pending_signed', 'person', personId, { signed, waiting });
      return { ok: true, signed, waiting };
    },
    'professional.lockMine': () => {
      professionals.lock(me());
      return { ok: true };
    },
  };
}
