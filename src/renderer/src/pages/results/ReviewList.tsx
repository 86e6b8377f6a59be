import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import type { Page, ReviewFix, ReviewItem, UndeliveredResult } from '../../../../shared/api';
import type { DocumentType, Patient } from '../../../../shared/domain';
import { call } from '../../api/client';
import type { CallState } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';
import { PatientPicker } from '../messages/PatientPicker';
import { DocumentTypeSelect } from '../patients/DocumentTypeSelect';
import { PdfPreview } from './PdfPreview';
import { ValidateSignPrompt } from './ValidateSignPrompt';
import { useCan } from '../../session';
import { ConsentConfirm, PhoneForm, UndeliveredList } from './UndeliveredList';
import { useNav } from '../../nav';

/** "Por revisar": every document that cannot go yet, why, and what fixes it. */
export function ReviewList({
  state,
  undelivered,
}: {
  state: CallState<Page<ReviewItem>>;
  undelivered: CallState<Page<UndeliveredResult>>;
}) {
  const { t } = useTranslation();
  const nothing = state.data?.rows.length === 0 && undelivered.data?.rows.length === 0;
  return (
    <>
      <p className="hint">{t('review.intro')}</p>
      <UndeliveredList state={undelivered} />
      {undelivered.data?.rows.length ? <h3 className="section-title">{t('review.fromSources')}</h3> : null}
      <ErrorNote error={state.error} onRetry={state.reload} retryLabel={t('common.retry')} />
      {state.data?.rows.map((item) => (
        <ReviewCard key={item.id} item={item} onChanged={state.reload} />
      ))}
      {nothing && (
        <div className="card">
          <p className="empty">{t('review.empty')}</p>
        </div>
      )}
      {!state.data && !state.error && <p className="muted">{t('common.loading')}</p>}
    </>
  );
}

type Mode = 'idle' | 'assign' | 'fix' | 'dismiss' | 'preview' | 'phone' | 'consent' | 'sign';

function ReviewCard({ item, onChanged }: { item: ReviewItem; onChanged: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [mode, setMode] = useState<Mode>('idle');
  const [patient, setPatient] = useState<Patient | null>(null);
  /** What the professional's own signature is, when "Validar" must ask for its PIN or password first. */
  const [signWith, setSignWith] = useState<'token' | 'p12'>('token');
  const { goTo } = useNav();

  /**
   * Runs an action and says exactly what became of the document: gone to the sending queue, or still here for
   * another reason (which is then named). A success toast only when something changed for the better.
   */
  const act = async (action: () => Promise<Page<ReviewItem>>, done: string): Promise<void> => {
    const page = await run(action);
    if (!page) return;
    const still = page.rows.find((r) => r.id === item.id);
    if (still && still.code === item.code && still.reason === item.reason) {
      // The same problem as before: the form stays open to try another value.
      notify.warn(t('review.unchanged', { reason: still.reason }));
      return;
    }
    setMode('idle');
    setPatient(null);
    if (still) notify.warn(t('review.nowWaits', { done, reason: still.reason }));
    else notify.ok(t('review.nowQueued', { done }));
    onChanged();
  };

  const assign = (p: Patient | null): void => {
    setPatient(p);
    if (p) void act(() => call('results.fix', { id: item.id, patientId: p.id }), t('review.assigned'));
  };

  /**
   * "Validar": a professional whose own signature is closed types its PIN (or password) first, so the result is
   * validated and signed in one go; otherwise it is validated at once (signed with their open credential, or the
   * clinic's certificate when they hold none).
   */
  const validate = async (): Promise<void> => {
    const resultId = item.resultId as number;
    const asks = can('professional.mine');
    const mine = asks ? await run(() => call('professional.mine', {})) : undefined;
    // Not knowing whether their signature is open, nothing is validated: the card shows why.
    if (asks && !mine) return;
    if (mine?.linked && !mine.open) {
      setSignWith(mine.kind);
      setMode('sign');
      return;
    }
    await act(async () => {
      if (mine?.linked) await call('results.validateSigned', { id: resultId });
      else await call('results.validate', { id: resultId });
      return call('results.review', {});
    }, t('validation.done'));
  };
  const validateSigned = (secret?: string): void =>
    void act(async () => {
      await call('results.validateSigned', { id: item.resultId as number, ...(secret ? { secret } : {}) });
      return call('results.review', {});
    }, secret ? t('validation.doneSigned') : t('validation.done'));

  const inc = item.incoming;
  const names = [inc.firstNames, inc.lastNames].filter(Boolean).join(' ');
  return (
    <section className="card review-card" data-testid="review-row" data-code={item.code} data-id={item.id}>
      <div className="card-head">
        <h3>
          {t(`resultKind.${item.kind}`)} · {item.title}
        </h3>
        <span className="muted">{f.dateTime(item.receivedAt)}</span>
      </div>
      <p className="review-reason" data-testid="review-reason">
        {item.reason}
      </p>
      <dl className="review-facts">
        <dt>{t('review.file')}</dt>
        <dd>{item.originalName ?? item.sourceFile ?? t('common.none')}</dd>
        <dt>{t('review.source')}</dt>
        {/* In words; a source this screen does not know yet is shown as the core named it. */}
        <dd>{t(`review.sourceName.${item.source}`, { defaultValue: item.source })}</dd>
        <dt>{t('review.document')}</dt>
        <dd>
          {inc.documentNumber ? `${inc.documentType ? t(`documentType.${inc.documentType}`) : ''} ${inc.documentNumber}` : t('common.none')}
        </dd>
        <dt>{t('review.names')}</dt>
        <dd>{names || t('common.none')}</dd>
        <dt>{t('review.phone')}</dt>
        <dd>{inc.phone ?? t('common.none')}</dd>
        <dt>{t('review.accession')}</dt>
        <dd>{inc.accessionNumber ?? t('common.none')}</dd>
        {item.patientName && (
          <>
            <dt>{t('results.patient')}</dt>
            <dd>
              {item.patientName}
              {item.patientPhone ? <span className="muted"> · {item.patientPhone}</span> : null}
            </dd>
          </>
        )}
      </dl>
      {/* The signature prompt says its own refusal (a mistyped PIN) beside the field. */}
      {mode !== 'sign' && <ErrorNote error={error} />}
      {mode === 'sign' && (
        <ValidateSignPrompt
          kind={signWith}
          busy={busy}
          error={error}
          onSign={(secret) => validateSigned(secret)}
          onLater={() => validateSigned()}
          onCancel={() => setMode('idle')}
        />
      )}
      {mode === 'assign' && (
        <div className="subsection">
          <PatientPicker value={patient} onChange={assign} invalid={false} testIdPrefix="review" />
        </div>
      )}
      {mode === 'preview' && <PdfPreview target={{ id: item.id, of: 'review' }} onClose={() => setMode('idle')} />}
      {mode === 'fix' && (
        <FixForm
          item={item}
          busy={busy}
          onCancel={() => setMode('idle')}
          onSave={(fix) => void act(() => call('results.fix', { id: item.id, ...fix }), t('review.fixed'))}
        />
      )}
      {mode === 'phone' && (
        <PhoneForm
          initial={item.patientPhone ?? inc.phone ?? ''}
          busy={busy}
          testId="review-phone"
          onCancel={() => setMode('idle')}
          onSave={(phone) => void act(() => call('results.fix', { id: item.id, phone }), t('review.phoneSaved'))}
        />
      )}
      {mode === 'consent' && (
        <ConsentConfirm
          name={item.patientName ?? names}
          busy={busy}
          testId="review-consent-confirm"
          onConfirm={() => void act(() => call('results.fix', { id: item.id, consent: true }), t('review.consentSaved'))}
          onCancel={() => setMode('idle')}
        />
      )}
      {mode === 'dismiss' ? (
        <div className="confirm" role="alertdialog" aria-label={t('review.dismiss')}>
          <span>{t('review.dismissConfirm')}</span>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => void act(() => call('results.dismiss', { id: item.id }), t('review.dismissed'))}
            data-testid="review-dismiss-confirm"
          >
            {t('review.dismissYes')}
          </button>
          <button type="button" className="secondary" onClick={() => setMode('idle')}>
            {t('common.cancel')}
          </button>
        </div>
      ) : (
        <div className="row wrap review-actions">
          {item.code === 'awaiting_validation' && item.resultId !== null && can('results.validate') && (
            <button type="button" disabled={busy || mode === 'sign'} onClick={() => void validate()} data-testid="review-validate">
              {t('validation.validate')}
            </button>
          )}
          {item.code === 'bad_phone' && (
            <button type="button" disabled={busy} onClick={() => setMode('phone')} data-testid="review-fix-phone">
              {t('undelivered.fixPhone')}
            </button>
          )}
          {(item.code === 'no_consent' || item.code === 'opted_out') && (
            <button type="button" disabled={busy} onClick={() => setMode('consent')} data-testid="review-consent">
              {t('undelivered.consent')}
            </button>
          )}
          {(item.code === 'no_certificate' || item.code === 'certificate') && (
            <button
              type="button"
              onClick={() => goTo({ page: 'settings', section: 'certificate' })}
              data-testid="review-install-certificate"
            >
              {t('review.installCertificate')}
            </button>
          )}
          {item.code === 'awaiting_approval' && can('results.approve') && (
            <button
              type="button"
              disabled={busy}
              onClick={() => void act(() => call('results.approve', { id: item.id }), t('review.approved'))}
              data-testid="review-approve"
            >
              {t('review.approve')}
            </button>
          )}
          {item.documentFile && (
            <button
              type="button"
              className="secondary"
              onClick={() => setMode(mode === 'preview' ? 'idle' : 'preview')}
              data-testid="review-preview"
            >
              {t('resultsList.preview')}
            </button>
          )}
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => setMode(mode === 'assign' ? 'idle' : 'assign')}
            data-testid="review-assign"
          >
            {t('review.assign')}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => setMode(mode === 'fix' ? 'idle' : 'fix')}
            data-testid="review-fix"
          >
            {t('review.fix')}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void act(() => call('results.retry', { id: item.id }), t('review.retried'))}
            data-testid="review-retry"
          >
            {t('review.retry')}
          </button>
          <button type="button" className="link danger" disabled={busy} onClick={() => setMode('dismiss')} data-testid="review-dismiss">
            {t('review.dismiss')}
          </button>
        </div>
      )}
    </section>
  );
}

type FixFields = Omit<ReviewFix, 'id' | 'patientId'>;

/** What the source got wrong or left out: the patient's identity, phone and consent. */
function FixForm({
  item,
  busy,
  onSave,
  onCancel,
}: {
  item: ReviewItem;
  busy: boolean;
  onSave: (fix: FixFields) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const inc = item.incoming;
  const [documentType, setDocumentType] = useState<DocumentType>(inc.documentType ?? 'DNI');
  const [documentNumber, setDocumentNumber] = useState(inc.documentNumber ?? '');
  const [firstNames, setFirstNames] = useState(inc.firstNames ?? '');
  const [lastNames, setLastNames] = useState(inc.lastNames ?? '');
  const [phone, setPhone] = useState(inc.phone ?? '');
  const [consent, setConsent] = useState(inc.consent ?? false);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const fix: FixFields = { documentType, consent };
    if (documentNumber.trim()) fix.documentNumber = documentNumber.trim();
    if (firstNames.trim()) fix.firstNames = firstNames.trim();
    if (lastNames.trim()) fix.lastNames = lastNames.trim();
    if (phone.trim()) fix.phone = phone.trim();
    onSave(fix);
  };

  return (
    <form className="form-grid subsection" onSubmit={submit} noValidate data-testid="review-fix-form">
      <Field label={t('review.documentType')}>
        <DocumentTypeSelect value={documentType} onChange={setDocumentType} />
      </Field>
      <Field label={t('review.documentNumber')}>
        <input value={documentNumber} onChange={(e) => setDocumentNumber(e.target.value)} data-testid="review-fix-document" />
      </Field>
      <Field label={t('review.firstNames')}>
        <input value={firstNames} onChange={(e) => setFirstNames(e.target.value)} data-testid="review-fix-first" />
      </Field>
      <Field label={t('review.lastNames')}>
        <input value={lastNames} onChange={(e) => setLastNames(e.target.value)} data-testid="review-fix-last" />
      </Field>
      <Field label={t('review.phone')}>
        <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="review-fix-phone" />
      </Field>
      <label className="check span-all">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="review-fix-consent" />
        <span>{t('review.consent')}</span>
      </label>
      <div className="form-actions span-all">
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy} data-testid="review-fix-save">
          {t('review.fixSave')}
        </button>
      </div>
    </form>
  );
}
