import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkedDeviceView } from '../../../../shared/api';
import { call } from '../../api/client';
import type { LinkedDeviceState } from '../../api/linkedDevice';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction, useNotify } from '../../components/Notify';
import { linkedStateTone } from '../../components/tones';
import { useFormat } from '../../format';
import { LinkPanel, type LinkArgs, type LinkMethod } from './LinkPanel';

type Connection = LinkedDeviceView['connection'];

/** Whether the clinic's phone is connected, and the buttons to link it, unlink it or take the session back. */
export function LinkedConnectionCard({ device }: { device: LinkedDeviceState }) {
  const { t } = useTranslation();
  const { view } = device;
  return (
    <section className="card" data-testid="ld-connection">
      <div className="card-head">
        <h3>{t('linkedDevice.title')}</h3>
        {view && <StateChip state={view.connection.state} />}
      </div>
      <p className="hint">{t('linkedDevice.intro')}</p>
      <ErrorNote error={device.error} onRetry={device.reload} retryLabel={t('common.retry')} />
      {view ? (
        <>
          <ConnectionFacts view={view} />
          <ConnectionActions connection={view.connection} apply={device.apply} ask={device.ask} />
        </>
      ) : (
        !device.error && <p className="muted">{device.loaded ? t('linkedDevice.notReady') : t('common.loading')}</p>
      )}
    </section>
  );
}

function StateChip({ state }: { state: Connection['state'] }) {
  const { t } = useTranslation();
  return (
    <span data-testid="ld-state" data-state={state}>
      <Chip tone={linkedStateTone[state]}>{t(`linkedDevice.state.${state}`)}</Chip>
    </span>
  );
}

function ConnectionFacts({ view }: { view: LinkedDeviceView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const c = view.connection;
  return (
    <dl className="facts">
      <dt>{t('linkedDevice.phone')}</dt>
      <dd data-testid="ld-phone">{c.phone ?? t('common.none')}</dd>
      <dt>{t('linkedDevice.since')}</dt>
      <dd>{f.dateTime(c.since)}</dd>
      {c.reason && (
        <>
          <dt>{t('linkedDevice.reason')}</dt>
          <dd data-testid="ld-reason">{c.reason}</dd>
        </>
      )}
      {c.lastClose && (
        <>
          <dt>{t('linkedDevice.lastClose')}</dt>
          <dd>
            <code>{c.lastClose}</code>
          </dd>
        </>
      )}
      {c.reconnectAt !== null && (
        <>
          <dt>{t('linkedDevice.reconnectAt')}</dt>
          <dd>{f.moment(c.reconnectAt)}</dd>
        </>
      )}
      {view.oldOfflineReplies > 0 && (
        <>
          <dt>{t('linkedDevice.oldOfflineReplies')}</dt>
          <dd data-testid="ld-old-replies">{t('linkedDevice.oldOfflineRepliesHint', { n: f.number(view.oldOfflineReplies) })}</dd>
        </>
      )}
      {view.pendingReplies > 0 && (
        <>
          <dt>{t('linkedDevice.pendingReplies')}</dt>
          <dd>{t('linkedDevice.pendingRepliesHint', { count: view.pendingReplies, n: f.number(view.pendingReplies) })}</dd>
        </>
      )}
    </dl>
  );
}

/** Which buttons make sense in each state of the connection. */
function ConnectionActions({
  connection: c,
  apply,
  ask,
}: {
  connection: Connection;
  apply: (view: LinkedDeviceView | null, askedAt: number) => void;
  ask: () => number;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [run, busy] = useAction();
  const [method, setMethod] = useState<LinkMethod | null>(null);
  // What this screen asked for only matters until the attempt ends (connected, expired, closed).
  const [seenState, setSeenState] = useState(c.state);
  if (seenState !== c.state) {
    setSeenState(c.state);
    if (c.state !== 'connecting' && c.state !== 'qr') setMethod(null);
  }
  // A phone that was never linked has no number yet: whatever the connection does, the way to link it stays.
  const neverLinked = c.phone === null;
  // The core schedules a retry only after an attempt closed before any code came: remembered while it retries, so
  // the note does not blink away between attempts; a code, a link or a stop ends it.
  const [failed, setFailed] = useState(false);
  const failingNow = neverLinked && c.state === 'connecting' && c.reconnectAt !== null;
  if (failingNow && !failed) setFailed(true);
  if (failed && (!neverLinked || c.state !== 'connecting')) setFailed(false);

  const act = async (action: () => Promise<LinkedDeviceView | null>): Promise<boolean> => {
    const askedAt = ask();
    const next = await run(action);
    if (next === undefined) return false;
    apply(next, askedAt);
    return true;
  };
  const link = (args: LinkArgs): void => {
    setMethod(args.method);
    setFailed(false);
    void act(() => call('linkedDevice.link', args)).then((ok) => ok || setMethod(null));
  };
  const unlink = async (): Promise<void> => {
    if (await act(() => call('linkedDevice.unlink', {}))) notify.ok(t('linkedDevice.unlinked'));
  };
  const cancel = (): void => {
    setMethod(null);
    void act(() => call('linkedDevice.unlink', {}));
  };
  const reconnect = (): void => void act(() => call('linkedDevice.reconnect', {}));

  const linking = c.state === 'qr' || (method !== null && c.state === 'connecting');
  const unlinked = neverLinked && (c.state === 'disconnected' || c.state === 'connecting');
  if (linking || unlinked || c.state === 'logged_out') {
    return <LinkPanel connection={c} method={method} failed={failed} busy={busy} onLink={link} onCancel={cancel} />;
  }
  // A stored session: it waits to reconnect, was taken by another WhatsApp Web, or is connected.
  // After an account alert or a refused version, only a person decides when to try again.
  const canRetry =
    c.state === 'disconnected' ||
    c.state === 'update_required' ||
    c.state === 'account_restricted' ||
    (c.state === 'connecting' && c.reconnectAt !== null);
  return (
    <div className="subsection">
      <div className="row wrap">
        {c.state === 'replaced' && (
          <button type="button" disabled={busy} onClick={reconnect} data-testid="ld-reconnect">
            {t('linkedDevice.useHere')}
          </button>
        )}
        {canRetry && (
          <button type="button" disabled={busy} onClick={reconnect} data-testid="ld-reconnect">
            {t('linkedDevice.retryNow')}
          </button>
        )}
        <UnlinkButton busy={busy} onUnlink={() => void unlink()} />
      </div>
    </div>
  );
}

/** Unlinking stops every send through the phone: it asks first, right where the button was. */
function UnlinkButton({ busy, onUnlink }: { busy: boolean; onUnlink: () => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(true)} data-testid="ld-unlink">
        {t('linkedDevice.unlink')}
      </button>
    );
  }
  return (
    <div className="confirm" role="alertdialog" aria-label={t('linkedDevice.unlink')} data-testid="ld-unlink-confirm-box">
      <span>{t('linkedDevice.unlinkConfirm')}</span>
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onUnlink();
        }}
        data-testid="ld-unlink-confirm"
      >
        {t('linkedDevice.unlinkYes')}
      </button>
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
