import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultFilter, ResultItem } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { Chip } from '../../components/Chip';
import { ConfirmBar } from '../../components/ConfirmBar';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { Pager } from '../../components/Pager';
import { resultTone } from '../../components/tones';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';
import { PdfPreview } from './PdfPreview';
import { SignatureDetails } from './SignatureDetails';
import { usePolling } from './usePolling';

const PAGE_SIZE = 25;
const delivered = new Set(['sent', 'delivered', 'read']);

/** What a person can do with a result from the list, given where it stands. */
function actionsFor(r: ResultItem): ('approve' | 'send' | 'resend')[] {
  const state = r.messageState;
  if (state === 'queued' || state === 'sending') return [];
  if (state && (delivered.has(state) || state === 'failed' || state === 'expired' || state === 'unknown')) return ['resend'];
  if (r.intakeId === null) return [];
  if (r.status === 'pending_review') return ['approve'];
  if (r.status === 'approved' || r.status === 'dismissed') return ['send'];
  return [];
}

/** One tab of Resultados: the results of a filter, each with its preview, approve, send and resend. */
export function ResultsTable({ filter }: { filter: ResultFilter }) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const [offset, setOffset] = useState(0);
  const [preview, setPreview] = useState<number | null>(null);
  const [signature, setSignature] = useState<number | null>(null);
  // A result the patient already has is sent again only after a question that says when they got (and read) it.
  const [confirmResend, setConfirmResend] = useState<number | null>(null);
  const list = useCall('results.list', { filter, limit: PAGE_SIZE, offset });
  usePolling(list.reload);
  const { run, busy, error } = useFormAction();

  const act = async (action: () => Promise<unknown>, done: string): Promise<void> => {
    const ok = await run(action);
    if (ok === undefined) return;
    notify.ok(done);
    list.reload();
  };

  const doAction = (r: ResultItem, a: 'approve' | 'send' | 'resend'): void => {
    if (a === 'approve' && r.intakeId !== null) {
      const intakeId = r.intakeId;
      void act(() => call('results.approve', { id: intakeId }), t('review.approved'));
    }
    if (a === 'send') void act(() => call('results.send', { id: r.id }), t('resultsList.sentDone'));
    if (a === 'resend' && r.messageState && delivered.has(r.messageState) && confirmResend !== r.id) return setConfirmResend(r.id);
    if (a === 'resend') {
      setConfirmResend(null);
      void act(() => call('results.resend', { id: r.id }), t('resultsList.resentDone'));
    }
  };
  const arrived = (r: ResultItem): boolean => r.messageState !== null && delivered.has(r.messageState);

  return (
    <>
      <ErrorNote error={list.error} onRetry={list.reload} retryLabel={t('common.retry')} />
      <ErrorNote error={error} />
      <div className="card flush">
        <table className="table">
          <thead>
            <tr>
              <th>{t('results.kind')}</th>
              <th>{t('results.title')}</th>
              <th>{t('results.patient')}</th>
              <th>{t('resultsList.received')}</th>
              <th>{t('results.status')}</th>
              <th>{t('resultsList.message')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data?.rows.map((r) => (
              <Fragment key={r.id}>
                <tr data-testid="result-row" data-status={r.status} data-message={r.messageState ?? ''} data-id={r.id}>
                  <td>{t(`resultKind.${r.kind}`)}</td>
                  <td>
                    {r.title}
                    {r.signed && (
                      <>
                        {' '}
                        <Chip tone={r.signatureWarning ? 'warn' : 'good'}>
                          {r.signatureLevel ? `${t('resultsList.signed')} · ${r.signatureLevel}` : t('resultsList.signed')}
                        </Chip>
                        {r.signatureWarning && (
                          <div className="reason" data-testid="result-signature-warning">
                            {r.signatureWarning}
                          </div>
                        )}
                      </>
                    )}
                  </td>
                  <td>
                    {r.patientName}
                    {r.siteName && <div className="muted">{r.siteName}</div>}
                  </td>
                  <td className="times">{f.dateTime(r.receivedAt)}</td>
                  <td>
                    <Chip tone={resultTone[r.status]}>{t(`resultStatus.${r.status}`)}</Chip>
                  </td>
                  <td className="reason review">
                    {r.messageState ? t(`state.${r.messageState}`) : <span className="muted">{t('resultsList.noMessage')}</span>}
                    {r.sentAt !== null && <div className="muted">{f.dateTime(r.sentAt)}</div>}
                    {r.messageError && <div className="reason">{r.messageError}</div>}
                    {!r.messageState && r.reviewReason && <div className="reason">{r.reviewReason}</div>}
                  </td>
                  <td className="results-actions">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => setPreview(preview === r.id ? null : r.id)}
                      data-testid="result-preview"
                    >
                      {t('resultsList.preview')}
                    </button>{' '}
                    {r.signed && (
                      <>
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => setSignature(signature === r.id ? null : r.id)}
                          data-testid="result-signature"
                        >
                          {t('signatureView.open')}
                        </button>{' '}
                      </>
                    )}
                    {actionsFor(r).map((a) => (
                      <button
                        key={a}
                        type="button"
                        // Sending again what already arrived is the exception, not the next step.
                        className={a === 'resend' && arrived(r) ? 'secondary' : ''}
                        disabled={busy}
                        onClick={() => doAction(r, a)}
                        data-testid={`result-${a}`}
                      >
                        {t(`resultsList.${a}`)}
                      </button>
                    ))}
                  </td>
                </tr>
                {signature === r.id && (
                  <tr>
                    <td colSpan={7}>
                      <SignatureDetails id={r.id} />
                    </td>
                  </tr>
                )}
                {confirmResend === r.id && (
                  <tr>
                    <td colSpan={7}>
                      <ConfirmBar
                        testId="confirm-resend"
                        yes={t('resultsList.resendYes')}
                        busy={busy}
                        onYes={() => doAction(r, 'resend')}
                        onNo={() => setConfirmResend(null)}
                      >
                        {r.readAt !== null
                          ? t('resultsList.resendAskRead', { name: r.patientName, when: f.dateTime(r.readAt) })
                          : t('resultsList.resendAskDelivered', { name: r.patientName, when: f.dateTime(r.deliveredAt ?? r.sentAt) })}
                      </ConfirmBar>
                    </td>
                  </tr>
                )}
                {preview === r.id && (
                  <tr>
                    <td colSpan={7}>
                      <PdfPreview target={{ id: r.id }} onClose={() => setPreview(null)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
        {list.data?.rows.length === 0 && <p className="empty">{t(`resultsList.empty.${filter}`)}</p>}
        {!list.data && !list.error && <p className="empty">{t('common.loading')}</p>}
      </div>
      {list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
    </>
  );
}
