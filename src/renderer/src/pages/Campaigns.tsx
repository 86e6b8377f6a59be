import { useTranslation } from 'react-i18next';

// No campaign API exists yet: say so plainly instead of showing invented numbers.
export function Campaigns() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.campaigns')}</h2>
      </div>
      <div className="card empty-state">
        <h3>{t('campaigns.title')}</h3>
        <p>{t('campaigns.body')}</p>
        <p className="muted">{t('campaigns.consent')}</p>
      </div>
    </div>
  );
}
