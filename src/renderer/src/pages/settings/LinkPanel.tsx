import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArgsOf, LinkedDeviceView } from '../../../../shared/api';
import { QrImage } from '../../components/QrImage';

export type LinkArgs = ArgsOf<'linkedDevice.link'>;
export type LinkMethod = LinkArgs['method'];

/** Linking the clinic's phone: start with a QR or a pairing code, then show whichever is on its way. */
export function LinkPanel({
  connection,
  method,
  failed,
  busy,
  onLink,
  onCancel,
}: {
  connection: LinkedDeviceView['connection'];
  /** What this screen asked for; null when linking started elsewhere (another window, before a reload). */
  method: LinkMethod | null;
  /** The attempt could not reach WhatsApp for a code: the core retries on its own, the person may retry now. */
  failed: boolean;
  busy: boolean;
  onLink: (args: LinkArgs) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const inProgress = connection.state === 'qr' || (method !== null && connection.state === 'connecting');
  if (failed) {
    return (
      <div className="subsection link-panel" data-testid="ld-link-panel">
        <div className="error-note qr-failed" role="alert" data-testid="ld-qr-failed">
          {/* The technical cause is in the facts above ("Último cierre"), not in these words. */}
          <div>
            <strong>{t('linkedDevice.qrFetchFailed')}</strong> <span>{t('linkedDevice.qrFetchFailedHint')}</span>
          </div>
          <button type="button" disabled={busy} onClick={() => onLink({ method: 'qr' })} data-testid="ld-qr-retry">
            {t('common.retry')}
          </button>
        </div>
        <LinkStart busy={busy} onLink={onLink} />
      </div>
    );
  }
  return (
    <div className="subsection link-panel" data-testid="ld-link-panel">
      {inProgress ? (
        <>
          <LinkProgress connection={connection} method={method} />
          <button type="button" className="secondary" disabled={busy} onClick={onCancel} data-testid="ld-link-cancel">
            {t('linkedDevice.cancelLink')}
          </button>
        </>
      ) : (
        <LinkStart busy={busy} onLink={onLink} />
      )}
    </div>
  );
}

function LinkStart({ busy, onLink }: { busy: boolean; onLink: (args: LinkArgs) => void }) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('');
  const hintId = useId();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (phone.trim()) onLink({ method: 'code', phone: phone.trim() });
  };

  return (
    <>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => onLink({ method: 'qr' })} data-testid="ld-link-qr">
          {t('linkedDevice.linkQr')}
        </button>
      </div>
      <p className="hint">{t('linkedDevice.orCode')}</p>
      <form className="row" onSubmit={submit} noValidate>
        <label className="field grow">
          <span>{t('linkedDevice.codePhone')}</span>
          <input
            type="tel"
            value={phone}
            placeholder="+51 987 654 321"
            onChange={(e) => setPhone(e.target.value)}
            aria-describedby={hintId}
            data-testid="ld-code-phone"
          />
        </label>
        <button type="submit" className="secondary align-end" disabled={busy || !phone.trim()} data-testid="ld-link-code">
          {t('linkedDevice.linkCode')}
        </button>
      </form>
      <p className="hint" id={hintId}>
        {t('linkedDevice.codePhoneHint')}
      </p>
    </>
  );
}

function LinkProgress({ connection: c, method }: { connection: LinkedDeviceView['connection']; method: LinkMethod | null }) {
  const { t } = useTranslation();
  if (c.pairingCode) {
    return (
      <div className="link-code-box">
        <p>{t('linkedDevice.codeSteps')}</p>
        <p className="pairing-code" data-testid="ld-pairing-code">
          {groupCode(c.pairingCode)}
        </p>
      </div>
    );
  }
  if (method === 'code') {
    return (
      <p className="muted" role="status">
        {t('linkedDevice.codeWaiting')}
      </p>
    );
  }
  if (!c.qr) {
    return (
      <p className="muted" role="status">
        {t('linkedDevice.qrWaiting')}
      </p>
    );
  }
  return (
    <div className="link-qr">
      <QrImage value={c.qr} alt={t('linkedDevice.qrAlt')} errorText={t('linkedDevice.qrError')} testId="ld-qr-image" />
      <div>
        <p>{t('linkedDevice.qrSteps')}</p>
        <p className="hint">{t('linkedDevice.qrRefresh')}</p>
      </div>
    </div>
  );
}

/** WhatsApp shows the 8-character code as two groups of four: ABCD-EFGH. */
export function groupCode(code: string): string {
  const clean = code.replace(/[^0-9a-z]/gi, '').toUpperCase();
  return (clean.match(/.{1,4}/g) ?? [clean]).join('-');
}
