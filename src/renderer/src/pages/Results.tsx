import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../api/hooks';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { Pager } from '../components/Pager';
import { resultTone } from '../components/tones';
import { useFormat } from '../format';
import { ReviewList } from './results/ReviewList';

const PAGE_SIZE = 25;
// Files dropped in the shared folder arrive without a live event: both lists also look again this often.
const POLL_MS = 3_000;

type Tab = 'review' | 'all';

export function Results() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab | null>(null);
  const review = useCall('results.review', { limit: PAGE_SIZE, offset: 0 });
  const reviewTotal = review.data?.total;
  usePolling(review.reload);

  // "Por revisar" opens first while something waits there; a choice made by hand is kept.
  const shown: Tab = tab ?? (reviewTotal ? 'review' : 'all');

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.results')}</h2>
      </div>
      <p className="subtitle">{t('results.intro')}</p>
      <div className="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={shown === 'review'}
          className={shown === 'review' ? 'tab active' : 'tab'}
          onClick={() => setTab('review')}
          data-testid="results-tab-review"
        >
          {t('results.tabReview')}
          {reviewTotal ? <Chip tone="warn">{reviewTotal}</Chip> : null}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={shown === 'all'}
          className={shown === 'all' ? 'tab active' : 'tab'}
          onClick={() => setTab('all')}
          data-testid="results-tab-all"
        >
          {t('results.tabAll')}
        </button>
      </div>
      {shown === 'review' ? <ReviewList state={review} /> : <AllResults />}
    </div>
  );
}

function AllResults() {
  const { t } = useTranslation();
  const f = useFormat();
  const [offset, setOffset] = useState(0);
  const list = useCall('results.list', { limit: PAGE_SIZE, offset });
  usePolling(list.reload);

  return (
    <>
      <ErrorNote error={list.error} onRetry={list.reload} retryLabel={t('common.retry')} />
      <div className="card flush">
        <table className="table">
          <thead>
            <tr>
              <th>{t('results.kind')}</th>
              <th>{t('results.title')}</th>
              <th>{t('results.patient')}</th>
              <th>{t('results.site')}</th>
              <th>{t('results.approved')}</th>
              <th>{t('results.status')}</th>
              <th>{t('results.reviewReason')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.rows.map((r) => (
              <tr key={r.id} data-testid="result-row" data-status={r.status}>
                <td>{t(`resultKind.${r.kind}`)}</td>
                <td>{r.title}</td>
                <td>{r.patientName}</td>
                <td>{r.siteName}</td>
                <td className="times">
                  {r.approvedAt === null ? (
                    <span className="muted">{t('results.notApproved')}</span>
                  ) : (
                    <>
                      <div>{f.dateTime(r.approvedAt)}</div>
                      {r.approvedBy && <div className="muted">{r.approvedBy}</div>}
                    </>
                  )}
                </td>
                <td>
                  <Chip tone={resultTone[r.status]}>{t(`resultStatus.${r.status}`)}</Chip>
                </td>
                <td className="reason review">{r.reviewReason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data?.rows.length === 0 && <p className="empty">{t('results.empty')}</p>}
        {!list.data && !list.error && <p className="empty">{t('common.loading')}</p>}
      </div>
      {list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
    </>
  );
}

/** Reloads every few seconds while the page is shown. */
function usePolling(reload: () => void): void {
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);
}
