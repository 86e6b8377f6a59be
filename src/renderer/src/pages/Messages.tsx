import { useCallback, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message, MessageState } from '../../../shared/domain';
import { useDebounced } from '../api/hooks';
import { useMessages } from '../api/resources';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { Pager } from '../components/Pager';
import { messageMark, messageTone } from '../components/tones';
import { useFormat } from '../format';
import { useNav } from '../nav';
import { MessageActions } from './messages/MessageActions';
import { MessageDetail } from './messages/MessageDetail';
import { NewMessageForm } from './messages/NewMessageForm';
import { MESSAGE_STATES } from './messages/states';
import { waitReason } from './messages/waitReason';
import { useAppStatus } from '../appStatus';

const PAGE_SIZE = 25;

export function Messages() {
  const { t } = useTranslation();
  const { current } = useNav();
  const [state, setState] = useState<MessageState | ''>(current.messageState ?? '');
  // Opened from "N con falla": the failures nobody has dealt with yet, until the person widens the list.
  const [openOnly, setOpenOnly] = useState(current.openFailures === true);
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const [composing, setComposing] = useState(false);
  const closeDetail = useCallback(() => setOpenId(null), []);
  const query = useDebounced(search.trim());
  const list = useMessages({
    ...(state ? { state } : {}),
    ...(openOnly && state === 'failed' ? { openFailures: true } : {}),
    ...(query ? { search: query } : {}),
    limit: PAGE_SIZE,
    offset,
  });

  const showAll = (): void => {
    setState('');
    setOpenOnly(false);
    setSearch('');
    setOffset(0);
  };

  return (
    <div className={openId === null ? 'page' : 'page with-drawer'}>
      <div className="page-head">
        <h2>{t('nav.messages')}</h2>
        <div className="filters">
          <label className="inline-field">
            <span>{t('messages.state')}</span>
            <select
              value={state}
              data-testid="messages-state"
              onChange={(e) => {
                setState(e.target.value as MessageState | '');
                setOffset(0);
              }}
            >
              <option value="">{t('common.all')}</option>
              {MESSAGE_STATES.map((s) => (
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
          {!composing && (
            <button type="button" onClick={() => setComposing(true)} data-testid="new-message">
              {t('send.open')}
            </button>
          )}
        </div>
      </div>
      {openOnly && state === 'failed' && (
        <p className="filter-note" data-testid="messages-open-failures">
          {t('messages.openFailuresOnly')}{' '}
          <button type="button" className="link" onClick={() => setOpenOnly(false)}>
            {t('messages.allFailures')}
          </button>
        </p>
      )}
      {composing && (
        <NewMessageForm
          onClose={() => setComposing(false)}
          onSent={() => {
            setComposing(false);
            // The new message is the newest: show it on the first page, whatever the filters were.
            showAll();
            list.reload();
          }}
        />
      )}
      <ErrorNote error={list.error} onRetry={list.reload} retryLabel={t('common.retry')} />
      <div className="card flush">
        <table className="table messages-table">
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
            {list.data?.rows.map((m) => (
              <MessageRow key={m.id} m={m} selected={m.id === openId} onOpen={setOpenId} onChanged={list.reload} />
            ))}
          </tbody>
        </table>
        {list.data && list.data.rows.length === 0 && <p className="empty">{t('messages.empty')}</p>}
        {!list.data && !list.error && <p className="empty">{t('common.loading')}</p>}
      </div>
      {list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
      {openId !== null && (
        <MessageDetail
          key={openId}
          id={openId}
          onClose={closeDetail}
          onOpen={setOpenId}
          onChanged={list.reload}
        />
      )}
    </div>
  );
}

function MessageRow({
  m,
  selected,
  onOpen,
  onChanged,
}: {
  m: Message;
  selected: boolean;
  onOpen: (id: number) => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const { status } = useAppStatus();
  const step = lastStep(m);
  const wait = waitReason(m, status, f, t);
  const onKey = (event: KeyboardEvent): void => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(m.id);
    }
  };

  return (
    <tr
      data-testid="message-row"
      data-id={m.id}
      data-state={m.state}
      className={selected ? 'clickable selected' : 'clickable'}
      tabIndex={0}
      title={t('messages.openDetail')}
      onClick={() => onOpen(m.id)}
      onKeyDown={onKey}
    >
      <td>{m.patientName ?? <span className="muted">{t('common.none')}</span>}</td>
      <td className="nowrap">{m.toPhone}</td>
      <td>{t(`kind.${m.kind}`)}</td>
      <td>{t(`channel.${m.channel}`)}</td>
      <td>
        <Chip tone={messageTone[m.state]} mark={messageMark[m.state]}>{t(`state.${m.state}`)}</Chip>
        {m.replyCount > 0 && <span className="reply-count">{t('messages.replies', { count: m.replyCount })}</span>}
      </td>
      <td className={wait ? 'reason waiting' : 'reason'} data-testid="message-reason">
        {wait ?? m.lastErrorReason ?? ''}
      </td>
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
      {/* The buttons act on their own; a click on them must not also open the detail. */}
      <td className="actions" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
        <MessageActions m={m} small onChanged={onChanged} onFix={() => onOpen(m.id)} />
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
