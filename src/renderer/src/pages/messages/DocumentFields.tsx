import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { readAsBase64 } from '../../files';

export interface DocumentDraft {
  filename: string;
  base64: string;
  caption: string;
}

/** A PDF read in the browser (it travels as base64 to the core), the name the patient sees, and a caption. */
export function DocumentFields({
  draft,
  onChange,
  invalid,
}: {
  draft: DocumentDraft;
  onChange: (d: DocumentDraft) => void;
  invalid: boolean;
}) {
  const { t } = useTranslation();
  const [readError, setReadError] = useState<string | null>(null);

  const choose = async (file: File | undefined): Promise<void> => {
    setReadError(null);
    if (!file) {
      onChange({ ...draft, base64: '', filename: '' });
      return;
    }
    try {
      const base64 = await readAsBase64(file);
      onChange({ ...draft, base64, filename: file.name });
    } catch (error) {
      setReadError(toApiError(error).message);
    }
  };

  return (
    <>
      <label className="field">
        <span>{t('send.file')}</span>
        <input
          type="file"
          accept="application/pdf,.pdf"
          onChange={(e) => void choose(e.target.files?.[0])}
          aria-invalid={invalid}
          data-testid="send-file"
        />
        {invalid && <small className="field-error">{t('send.errors.document')}</small>}
        {readError && <small className="field-error">{t('send.errors.read', { reason: readError })}</small>}
      </label>
      <label className="field">
        <span>{t('send.filename')}</span>
        <input
          value={draft.filename}
          onChange={(e) => onChange({ ...draft, filename: e.target.value })}
          data-testid="send-filename"
        />
      </label>
      <label className="field span-all">
        <span>{t('send.caption')}</span>
        <input
          value={draft.caption}
          maxLength={1024}
          onChange={(e) => onChange({ ...draft, caption: e.target.value })}
          data-testid="send-caption"
        />
      </label>
    </>
  );
}
