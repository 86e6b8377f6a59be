import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useFormAction } from '../../components/useFormAction';
import { useNav } from '../../nav';

/** One real message to a phone of the clinic's choosing, to see the whole path work before patients get any. */
export function TestSendCard() {
  const { t } = useTranslation();
  const { goTo } = useNav();
  const [phone, setPhone] = useState('');
  const [sent, setSent] = useState<Message | null>(null);
  const { run, busy, error } = useFormAction();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!phone.trim()) return;
    setSent(null);
    const message = await run(() => call('cloudApi.sendTest', { phone: phone.trim() }));
    if (message) setSent(message);
  };

  return (
    <section className="card" data-testid="settings-test-send">
      <h3>{t('settings.testSend')}</h3>
      <p className="hint">{t('settings.testSendHint')}</p>
      <form className="row" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field grow">
          <span>{t('settings.testPhone')}</span>
          <input
            type="tel"
            value={phone}
            placeholder="+51 987 654 321"
            onChange={(e) => setPhone(e.target.value)}
            data-testid="cloud-test-phone"
          />
        </label>
        <button type="submit" className="align-end" disabled={busy || !phone.trim()} data-testid="cloud-send-test">
          {t('settings.testSubmit')}
        </button>
      </form>
      <ErrorNote error={error} />
      {sent && (
        <div className="ok-note" role="status" data-testid="cloud-test-result">
          <span>{t('settings.testQueued', { phone: sent.toPhone })}</span>
          <button type="button" className="secondary small" onClick={() => goTo({ page: 'messages' })}>
            {t('settings.openMessages')}
          </button>
        </div>
      )}
    </section>
  );
}
