import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultFilter, ResultItem } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useResults } from '../../api/resources';
import { Chip } from '../../components/Chip';
import { ConfirmBar } from '../../components/ConfirmBar';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { Pager } from '../../components/Pager';
import { resultTone } from '../../components/tones';
import { useFormAction } from '../../components/useFormAction';
import { useFormat } from '../../format';
import { PdfPreview } from './PdfPreview';
import { SignatureDetails } from './SignatureDetails';

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
  const list = useResults({ filter, limit: PAGE_SIZE, offset });
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

  const columns: Column<ResultItem>[] = [
    { key: 'kind', header: t('results.kind'), cell: (r) => t(`resultKind.${r.kind}`) },
    { key: 'title', header: t('results.title'), cell: (r) => <ResultTitle r={r} /> },
    {
      key: 'patient',
      header: t('results.patient'),
      cell: (r) => (
        <>
          {r.patientName}
          {r.siteName && <div className="muted">{r.siteName}</div>}
        </>
      ),
    },
    { key: 'received', header: t('resultsList.received'), className: 'times', cell: (r) => f.dateTime(r.receivedAt) },
    {
      key: 'status',
      header: t('results.status'),
      cell: (r) => <Chip tone={resultTone[r.status]}>{t(`resultStatus.${r.status}`)}</Chip>,
    },
    {
      key: 'message',
      header: t('resultsList.message'),
      className: 'reason review',
      cell: (r) => (
        <>
          {r.messageState ? t(`state.${r.messageState}`) : <span className="muted">{t('resultsList.noMessage')}</span>}
          {r.sentAt !== null && <div className="muted">{f.dateTime(r.sentAt)}</div>}
          {r.messageError && <div className="reason">{r.messageError}</div>}
          {!r.messageState && r.reviewReason && <div className="reason">{r.reviewReason}</div>}
        </>
      ),
    },
    {
      key: 'actions',
      header: '',
      className: 'results-actions',
      cell: (r) => (
        <>
          <button type="button" className="secondary" onClick={() => setPreview(preview === r.id ? null : r.id)} data-testid="result-preview">
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
        </>
      ),
    },
  ];

  return (
    <>
      <ErrorNote error={error} />
      <DataTable
        columns={columns}
        rows={list.data?.rows}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ 'data-testid': 'result-row', 'data-status': r.status, 'data-message': r.messageState ?? '', 'data-id': r.id })}
        below={(r) => [
          signature === r.id && <SignatureDetails id={r.id} />,
          confirmResend === r.id && (
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
          ),
          preview === r.id && <PdfPreview target={{ id: r.id }} onClose={() => setPreview(null)} />,
        ]}
        empty={t(`resultsList.empty.${filter}`)}
        error={list.error}
        onRetry={list.reload}
        footer={list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
      />
    </>
  );
}

/** The title, with the signature's level and any warning about it. */
function ResultTitle({ r }: { r: ResultItem }) {
  const { t } = useTranslation();
  return (
    <>
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
    </>
  );
}
