import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultFilter } from '../../../shared/domain';
import { useReviewItems, useUndeliveredResults } from '../api/resources';
import { useNotify } from '../components/Notify';
import { Chip } from '../components/Chip';
import { NewDocumentForm } from './results/NewDocumentForm';
import { ResultsTable } from './results/ResultsTable';
import { MySignature } from './results/MySignature';
import { ReviewList } from './results/ReviewList';

const PAGE_SIZE = 25;

type Tab = 'review' | ResultFilter;
const TABS: Tab[] = ['incoming', 'review', 'signed', 'sent', 'failed', 'dismissed'];

export function Results() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [tab, setTab] = useState<Tab | null>(null);
  const [issuing, setIssuing] = useState(false);
  const review = useReviewItems({ limit: PAGE_SIZE, offset: 0 });
  const undelivered = useUndeliveredResults({ limit: PAGE_SIZE, offset: 0 });
  // One count for everything that cannot go: what the sources sent with a problem, and what WhatsApp did not take.
  const reviewTotal = review.data && undelivered.data ? review.data.total + undelivered.data.total : undefined;

  // "Por revisar" opens first while something waits there; the choice then stays (emptying it by fixing every row
  // shows "nothing to review", not another tab), and a choice made by hand is kept.
  const shown: Tab = tab ?? (reviewTotal ? 'review' : 'incoming');
  // Decided once, during render, as soon as the counts are known (React's "adjust state while rendering").
  if (tab === null && reviewTotal !== undefined) setTab(reviewTotal ? 'review' : 'incoming');

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.results')}</h2>
        {!issuing && (
          <button type="button" onClick={() => setIssuing(true)} data-testid="new-document">
            {t('newDocument.open')}
          </button>
        )}
      </div>
      <p className="subtitle">{t('results.intro')}</p>
      {issuing && (
        <NewDocumentForm
          onClose={() => setIssuing(false)}
          onIssued={(d) => {
            setIssuing(false);
            // What cannot go yet (no certificate, not a PDF, no consent) is shown where it can be fixed.
            if (d.state === 'review') {
              notify.warn(t('newDocument.review', { reason: d.reason ?? '' }));
              setTab('review');
            } else setTab('incoming');
            review.reload();
            undelivered.reload();
          }}
        />
      )}
      <MySignature />
      <div className="tabs" role="tablist">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={shown === name}
            className={shown === name ? 'tab active' : 'tab'}
            onClick={() => setTab(name)}
            data-testid={`results-tab-${name}`}
          >
            {t(`resultsList.tab.${name}`)}
            {name === 'review' && reviewTotal ? <Chip tone="warn">{reviewTotal}</Chip> : null}
          </button>
        ))}
      </div>
      {shown === 'review' ? <ReviewList state={review} undelivered={undelivered} /> : <ResultsTable key={shown} filter={shown} />}
    </div>
  );
}
