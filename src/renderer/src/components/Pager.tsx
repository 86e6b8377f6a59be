import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';

export function Pager({
  offset,
  limit,
  total,
  onChange,
}: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (total === 0) return null;
  return (
    <div className="pager">
      <button type="button" className="secondary small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('common.previous')}
      </button>
      <span>
        {t('common.pageOf', {
          from: f.number(offset + 1),
          to: f.number(Math.min(offset + limit, total)),
          total: f.number(total),
        })}
      </span>
      <button
        type="button"
        className="secondary small"
        disabled={offset + limit >= total}
        onClick={() => onChange(offset + limit)}
      >
        {t('common.next')}
      </button>
    </div>
  );
}
