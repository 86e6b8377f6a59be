import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArgsOf } from '../../../../shared/api';
import { call, toApiError, type ApiError } from '../../api/client';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';

/**
 * The PDF as the core holds it (the signed copy once there is one), shown from a blob URL: the same code works over
 * IPC and HTTP, and the page's CSP allows frames from blob: only.
 */
export function PdfPreview({ target, onClose }: { target: ArgsOf<'results.document'>; onClose: () => void }) {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<{ url: string; filename: string; signed: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const key = JSON.stringify(target);

  useEffect(() => {
    let url: string | null = null;
    let current = true;
    call('results.document', JSON.parse(key) as ArgsOf<'results.document'>).then(
      (d) => {
        if (!current) return;
        const bytes = Uint8Array.from(atob(d.base64), (c) => c.charCodeAt(0));
        url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
        setDoc({ url, filename: d.filename, signed: d.signed });
      },
      (e: unknown) => {
        if (current) setError(toApiError(e));
      },
    );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [key]);

  return (
    <div className="pdf-preview-box" data-testid="pdf-preview-box">
      <div className="row wrap">
        <strong>{doc?.filename ?? t('common.loading')}</strong>
        {doc && (
          <Chip tone={doc.signed ? 'good' : 'muted'}>{doc.signed ? t('resultsList.signedCopy') : t('resultsList.unsignedCopy')}</Chip>
        )}
        <span className="spacer" />
        {doc && (
          <a href={doc.url} download={doc.filename} data-testid="pdf-download">
            {t('resultsList.download')}
          </a>
        )}
        <button type="button" className="secondary" onClick={onClose} data-testid="pdf-preview-close">
          {t('resultsList.closePreview')}
        </button>
      </div>
      <ErrorNote error={error} />
      {doc && (
        <iframe
          className="pdf-preview"
          src={doc.url}
          title={doc.filename}
          data-testid="pdf-preview"
          data-signed={doc.signed ? 'yes' : 'no'}
        />
      )}
    </div>
  );
}
