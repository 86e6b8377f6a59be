import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message, MessageState } from '../../../shared/domain';
import { call } from '../api/client';
import { useCall, useDebounced } from '../api/hooks';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { useAction, useNotify } from '../components/Notify';
import { Pager } from '../components/Pager';
import { messageTone } from '../components/tones';
import { useFormat } from '../format';

const STATES: MessageState[] = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'expired', 'cancelled', 'unknown'];
const PAGE_SIZE = 25;
// `unknown` too: the core leaves those for a person to decide, and resending is that decision.
const RESENDABLE: ReadonlySet<MessageState> = new Set(['failed', 'expired', 'unknown']);

export function Messages() {
  const { t } = useTranslation();
  const [state, setState] = useState<MessageState | ''>('');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const query = useDebounced(search.trim());
  const list = useCall('messages.list', {
    ...(state ? { state } : {}),
    ...(query ? { search: query } : {}),
    limit: PAGE_SIZE,
    offset,
  });

  return (
    <div className="page">
      <div className="page-head">
        <h2>{t('nav.messages')}</h2>
        <div className="filters">
          <label className="inline-field">
            <span>{t('messages.state')}</span>
            <select
              value={state}
              onChange={(e) => {
                setState(e.target.value as MessageState | '');
                setOffset(0);
              }}
            >
              <option value="">{t('common.all')}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`state.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <input
            type="search"
            className="search"
            placeholder={t('messages.search')}
            aria-label={t('messages.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
          />
        </div>
      </div>
      <ErrorNote error={list.error} onRetry={list.reload} retryLabel={t('common.retry')} />
      <div className="card flush">
        <table className="table">
          <thead>
            <tr>
              <th>{t('messages.patient')}</th>
              <th>{t('messages.phone')}</th>
              <th>{t('messages.kind')}</th>
              <th>{t('messages.channel')}</th>
              <th>{t('messages.state')}</th>
              <th>{t('messages.error')}</th>
              <th>{t('messages.times')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data?.rows.map((m) => <MessageRow key={m.id} m={m} onChanged={list.reload} />)}
          </tbody>
        </table>
        {list.data && list.data.rows.length === 0 && <p className="empty">{t('messages.empty')}</p>}
        {!list.data && !list.error && <p className="empty">{t('common.loading')}</p>}
      </div>
      {list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
    </div>
  );
}

function MessageRow({ m, onChanged }: { m: Message; onChanged: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useNotify();
  const [run, busy] = useAction();
  const step = lastStep(m);

  const resend = async (): Promise<void> => {
    const created = await run(() => call('messages.resend', { id: m.id }));
    if (created) {
      notify.ok(t('messages.resent'));
      onChanged();
    }
  };
  const cancel = async (): Promise<void> => {
    const cancelled = await run(() => call('messages.cancel', { id: m.id }));
    if (cancelled) {
      notify.ok(t('messages.cancelled'));
      onChanged();
    }
  };

  return (
    <tr data-testid="message-row">
      <td>{m.patientName ?? <span className="muted">{t('common.none')}</span>}</td>
      <td className="nowrap">{m.toPhone}</td>
      <td>{t(`kind.${m.kind}`)}</td>
      <td>{t(`channel.${m.channel}`)}</td>
      <td>
        <Chip tone={messageTone[m.state]}>{t(`state.${m.state}`)}</Chip>
        {m.replyCount > 0 && <span className="reply-count">{t('messages.replies', { count: m.replyCount })}</span>}
      </td>
      <td className="reason">{m.lastErrorReason ?? ''}</td>
      <td className="times">
        <div>
          {t('messages.created')} {f.dateTime(m.createdAt)}
        </div>
        {step && (
          <div className="muted">
            {t(`state.${step.state}`)} {f.dateTime(step.at)}
          </div>
        )}
      </td>
      <td className="actions">
        {RESENDABLE.has(m.state) && (
          <button type="button" className="small" disabled={busy} onClick={() => void resend()}>
            {t('messages.resend')}
          </button>
        )}
        {m.state === 'queued' && (
          <button type="button" className="small secondary" disabled={busy} onClick={() => void cancel()}>
            {t('messages.cancel')}
          </button>
        )}
      </td>
    </tr>
  );
}

/** The furthest the message got, for the "times" column. */
function lastStep(m: Message): { state: MessageState; at: number } | null {
  if (m.failedAt !== null) return { state: 'failed', at: m.failedAt };
  if (m.readAt !== null) return { state: 'read', at: m.readAt };
  if (m.deliveredAt !== null) return { state: 'delivered', at: m.deliveredAt };
  if (m.sentAt !== null) return { state: 'sent', at: m.sentAt };
  return null;
}
