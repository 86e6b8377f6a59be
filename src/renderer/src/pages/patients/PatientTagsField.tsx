import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, toApiError, type ApiError } from '../../api/client';
import { useCall } from '../../api/hooks';
import { ErrorNote } from '../../components/ErrorNote';

/** A patient's tags (diabetes, convenio…), saved on their own: campaign segments select by them. */
export function PatientTagsField({ patientId }: { patientId: number }) {
  const { t } = useTranslation();
  const stored = useCall('patients.tags', { ids: [patientId] });
  const known = useCall('tags.list', {});
  const [text, setText] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const current = stored.data?.[0]?.tags.join(', ') ?? '';

  const save = async (): Promise<void> => {
    setError(null);
    try {
      const tags = (text ?? current).split(',').map((x) => x.trim()).filter(Boolean);
      const saved = await call('patients.setTags', { id: patientId, tags });
      setText(saved.join(', '));
      setNote(t('campaigns.tagsSaved'));
      known.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <div className="field span-all" data-testid="patient-tags">
      <span>{t('campaigns.patientTags')}</span>
      <input
        value={text ?? current}
        onChange={(e) => {
          setText(e.target.value);
          setNote(null);
        }}
        placeholder={t('campaigns.tagsHint')}
        list="known-tags"
        data-testid="patient-tags-input"
      />
      <datalist id="known-tags">
        {known.data?.map((k) => <option key={k.tag} value={k.tag} />)}
      </datalist>
      <div>
        <button type="button" className="secondary small" onClick={() => void save()} data-testid="patient-tags-save">
          {t('campaigns.saveTags')}
        </button>{' '}
        {note && <small className="hint" role="status">{note}</small>}
      </div>
      <ErrorNote error={error ?? stored.error} />
    </div>
  );
}
