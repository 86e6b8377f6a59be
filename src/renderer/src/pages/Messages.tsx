import { useCallback, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AppStatus } from '../../../shared/api';
import type { Message, MessageState } from '../../../shared/domain';
import { useDebounced } from '../api/hooks';
import { useMessages } from '../api/resources';
import { Chip } from '../components/Chip';
import { DataTable, type Column, type RowProps } from '../components/DataTable';
import { Pager } from '../components/Pager';
import { messageMark, messageTone } from '../components/tones';
import { useFormat, type Formatters } from '../format';
import { useNav } from '../nav';
import { MessageActions } from './messages/MessageActions';
import { MessageDetail } from './messages/MessageDetail';
import { NewMessageForm } from './messages/NewMessageForm';
import { MESSAGE_STATES } from './messages/states';
import { waitReason } from './messages/waitReason';
import { useAppStatus } from '../appStatus';

const PAGE_SIZE = 25;

/** Which messages the list shows: a state ('' for all), only the open failures, a search, and the page. */
interface ListFilter {
  state: MessageState | '';
  openOnly: boolean;
  search: string;
  offset: number;
}
const ALL: ListFilter = { state: '', openOnly: false, search: '', offset: 0 };

export function Messages() {
  const { t } = useTranslation();
  const { current } = useNav();
  const [filter, setFilter] = useState<ListFilter>(() => ({
    state: current.messageState ?? '',
    // Opened from "N con falla": the failures nobody has dealt with yet, until the person widens the list.
    openOnly: current.openFailures === true,
    search: '',
    offset: 0,
  }));
  const { state, openOnly, search, offset } = filter;
  const change = (patch: Partial<ListFilter>): void => setFilter((was) => ({ ...was, ...patch }));
  const [openId, setOpenId] = useState<number | null>(null);
  const [composing, setComposing] = useState(false);
  const closeDetail = useCallback(() => setOpenId(null), []);
  const f = useFormat();
  const { status } = useAppStatus();
  const query = useDebounced(search.trim());
  const list = useMessages({
    ...(state ? { state } : {}),
    ...(openOnly && state === 'failed' ? { openFailures: true } : {}),
    ...(query ? { search: query } : {}),
    limit: PAGE_SIZE,
    offset,
  });

  const columns = messageColumns({ t, f, status, onOpen: setOpenId, onChanged: list.reload });

  const showAll = (): void => setFilter(ALL);

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
              onChange={(e) => change({ state: e.target.value as MessageState | '', offset: 0 })}
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
            onChange={(e) => change({ search: e.target.value, offset: 0 })}
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
          <button type="button" className="link" onClick={() => change({ openOnly: false })}>
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
      <DataTable
        className="messages-table"
        columns={columns}
        rows={list.data?.rows}
        rowKey={(m) => m.id}
        rowProps={(m) => openableRow(m, m.id === openId, setOpenId, t('messages.openDetail'))}
        empty={t('messages.empty')}
        error={list.error}
        onRetry={list.reload}
        footer={list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={(next) => change({ offset: next })} />}
      />
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

/** A row opens its detail on a click, or on Enter or Space when it has the focus (it is in the tab order). */
function openableRow(m: Message, selected: boolean, onOpen: (id: number) => void, title: string): RowProps {
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(m.id);
    }
  };
  return {
    'data-testid': 'message-row',
    'data-id': m.id,
    'data-state': m.state,
    className: selected ? 'clickable selected' : 'clickable',
    // The row whose detail is open says so to a screen reader, not by its colour alone.
    'aria-current': selected ? 'true' : undefined,
    tabIndex: 0,
    title,
    onClick: () => onOpen(m.id),
    onKeyDown,
  };
}

/** What a row's cells need besides the message. */
interface RowContext {
  t: TFunction;
  f: Formatters;
  status: AppStatus;
  onOpen: (id: number) => void;
  onChanged: () => void;
}

function messageColumns({ t, f, status, onOpen, onChanged }: RowContext): Column<Message>[] {
  const wait = (m: Message): string | null => waitReason(m, status, f, t);
  return [
    { key: 'patient', header: t('messages.patient'), cell: (m) => m.patientName ?? <span className="muted">{t('common.none')}</span> },
    { key: 'phone', header: t('messages.phone'), className: 'nowrap', cell: (m) => m.toPhone },
    { key: 'kind', header: t('messages.kind'), cell: (m) => t(`kind.${m.kind}`) },
    { key: 'channel', header: t('messages.channel'), cell: (m) => t(`channel.${m.channel}`) },
    {
      key: 'state',
      header: t('messages.state'),
      cell: (m) => (
        <>
          <Chip tone={messageTone[m.state]} mark={messageMark[m.state]}>{t(`state.${m.state}`)}</Chip>
          {m.replyCount > 0 && <span className="reply-count">{t('messages.replies', { count: m.replyCount })}</span>}
        </>
      ),
    },
    {
      key: 'reason',
      header: t('messages.error'),
      testId: 'message-reason',
      cellProps: (m) => ({ className: wait(m) ? 'reason waiting' : 'reason' }),
      cell: (m) => wait(m) ?? m.lastErrorReason ?? '',
    },
    {
      key: 'times',
      header: t('messages.times'),
      className: 'times',
      cell: (m) => {
        const step = lastStep(m);
        return (
          <>
            <div>
              {t('messages.created')} {f.dateTime(m.createdAt)}
            </div>
            {step && (
              <div className="muted">
                {t(`state.${step.state}`)} {f.dateTime(step.at)}
              </div>
            )}
          </>
        );
      },
    },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      // The buttons act on their own; a click on them must not also open the detail.
      cellProps: () => ({ onClick: (e) => e.stopPropagation(), onKeyDown: (e) => e.stopPropagation() }),
      cell: (m) => <MessageActions m={m} small onChanged={onChanged} onFix={() => onOpen(m.id)} />,
    },
  ];
}

/** The furthest the message got, for the "times" column. */
function lastStep(m: Message): { state: MessageState; at: number } | null {
  if (m.failedAt !== null) return { state: 'failed', at: m.failedAt };
  if (m.readAt !== null) return { state: 'read', at: m.readAt };
  if (m.deliveredAt !== null) return { state: 'delivered', at: m.deliveredAt };
  if (m.sentAt !== null) return { state: 'sent', at: m.sentAt };
  return null;
}
