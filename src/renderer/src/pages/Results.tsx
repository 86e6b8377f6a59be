import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../api/hooks';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { Pager } from '../components/Pager';
import { resultTone } from '../components/tones';
import { useFormat } from '../format';

const PAGE_SIZE = 25;

export function Results() {
  const { t } = useTranslation();
  const f = useFormat();
  const [offset, setOffset] = useState(0);
  const list = useCall('results.list', { limit: PAGE_SIZE, offset });

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.results')}</h2>
      </div>
      <p className="subtitle">{t('results.intro')}</p>
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
              <tr key={r.id}>
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
    </div>
  );
}
