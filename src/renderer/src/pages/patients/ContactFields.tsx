import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import type { Site } from '../../../../shared/domain';

interface Contact {
  phone: string;
  email: string;
  siteId: string;
}

/** Phone, e-mail and site: the same fields when a patient is registered and when their details are fixed. */
export function ContactFields({
  value,
  set,
  sites,
  phoneTestId,
}: {
  value: Contact;
  set: (field: keyof Contact, value: string) => void;
  sites: Site[] | undefined;
  phoneTestId?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('patients.phone')}>
        <input
          type="tel"
          value={value.phone}
          placeholder="+51 987 654 321"
          onChange={(e) => set('phone', e.target.value)}
          data-testid={phoneTestId}
        />
      </Field>
      <Field label={t('patients.email')}>
        <input type="email" value={value.email} onChange={(e) => set('email', e.target.value)} />
      </Field>
      {/* With a single site there is nothing to choose. */}
      {sites && sites.length > 1 && (
        <Field label={t('patients.site')}>
          <select value={value.siteId} onChange={(e) => set('siteId', e.target.value)}>
            <option value="">{t('common.none')}</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      )}
    </>
  );
}
