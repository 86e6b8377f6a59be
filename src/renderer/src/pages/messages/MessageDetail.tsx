import { useTranslation } from 'react-i18next';
import type { MessageTimeline } from '../../../../shared/api';
import type { Message } from '../../../../shared/domain';
import { useMessageTimeline } from '../../api/resources';
import { Chip } from '../../components/Chip';
import { Drawer } from '../../components/Drawer';
import { ErrorNote } from '../../components/ErrorNote';
import { messageMark, messageTone } from '../../components/tones';
import { useFormat } from '../../format';
import { MessageActions } from './MessageActions';
import { templateLabel } from './templateLabel';

/** One message: what it is, every state it went through (with when and why), the patient's replies, and actions. */
export function MessageDetail({
  id,
  onClose,
  onOpen,
  onChanged,
}: {
  id: number;
  onClose: () => void;
  onOpen: (id: number) => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const timeline = useMessageTimeline({ id });
  const data = timeline.data;
  const changed = (): void => {
    timeline.reload();
    onChanged();
  };

  return (
    <Drawer title={t('detail.title', { id })} onClose={onClose} testId="message-detail">
      <ErrorNote error={timeline.error} onRetry={timeline.reload} retryLabel={t('common.retry')} />
      {!data && !timeline.error && <p className="muted">{t('common.loading')}</p>}
      {data && (
        <>
          <Facts m={data.message} />
          <div className="drawer-actions">
            <MessageActions m={data.message} onChanged={changed} onResent={onOpen} />
          </div>
          <h4>{t('detail.timeline')}</h4>
          <Timeline events={data.events} />
          {data.related.length > 0 && (
            <>
              <h4>{t('linked.title')}</h4>
              <Related m={data.message} related={data.related} onOpen={onOpen} />
            </>
          )}
          <h4>{t('detail.replies')}</h4>
          <Replies replies={data.replies} />
        </>
      )}
    </Drawer>
  );
}

function Facts({ m }: { m: Message }) {
  const { t } = useTranslation();
  const f = useFormat();
  const none = <span className="muted">{t('common.none')}</span>;
  return (
    <dl className="facts">
      <dt>{t('messages.state')}</dt>
      <dd>
        <Chip tone={messageTone[m.state]} mark={messageMark[m.state]}>{t(`state.${m.state}`)}</Chip>
      </dd>
      <dt>{t('messages.patient')}</dt>
      <dd>{m.patientName ?? none}</dd>
      <dt>{t('messages.phone')}</dt>
      <dd>{m.toPhone}</dd>
      {m.toEmail && (
        <>
          <dt>{t('patients.email')}</dt>
          <dd data-testid="message-email">{m.toEmail}</dd>
        </>
      )}
      <dt>{t('messages.kind')}</dt>
      <dd>{t(`kind.${m.kind}`)}</dd>
      <dt>{t('messages.channel')}</dt>
      <dd>{t(`channel.${m.channel}`)}</dd>
      {m.templateName && (
        <>
          <dt>{t('detail.template')}</dt>
          <dd data-testid="message-template">
            {templateLabel(m.templateName, t)}
            <div className="details-line">{t('detail.templateCode', { name: m.templateName })}</div>
          </dd>
        </>
      )}
      <dt>{t('detail.body')}</dt>
      <dd className="body-text">{m.body || none}</dd>
      <dt>{t('detail.providerId')}</dt>
      <dd data-testid="message-provider-id">{m.providerId ? <code className="wrap">{m.providerId}</code> : none}</dd>
      <dt>{t('detail.attempts')}</dt>
      <dd>{f.number(m.attempts)}</dd>
      <dt>{t('messages.created')}</dt>
      <dd>{f.moment(m.createdAt)}</dd>
      {m.resendOf !== null && (
        <>
          <dt>{t('detail.resendOf')}</dt>
          <dd>{t('detail.messageNumber', { id: m.resendOf })}</dd>
        </>
      )}
      {m.lastErrorReason && (
        <>
          <dt>{t('messages.error')}</dt>
          <dd className="text-bad">
            {m.lastErrorReason}
            {/* WhatsApp's code (131026, 408) helps whoever supports the clinic: a details line under the words. */}
            {m.lastErrorCode && <div className="details-line">{t('detail.codeLine', { code: m.lastErrorCode })}</div>}
          </dd>
        </>
      )}
    </dl>
  );
}

function Timeline({ events }: { events: MessageTimeline['events'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (events.length === 0) return <p className="muted">{t('detail.noEvents')}</p>;
  return (
    <ol className="timeline" data-testid="message-timeline">
      {events.map((e, i) => (
        <li key={`${i}-${e.state}-${e.at}`} data-testid="timeline-event" data-state={e.state}>
          <div className="timeline-head">
            <Chip tone={messageTone[e.state]} mark={messageMark[e.state]}>{t(`state.${e.state}`)}</Chip>
            <time dateTime={new Date(e.at).toISOString()}>{f.moment(e.at)}</time>
          </div>
          {(e.errorReason || e.errorCode) && (
            <div className="timeline-error">
              {e.errorReason}
              {e.errorCode && <div className="details-line">{t('detail.codeLine', { code: e.errorCode })}</div>}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

function Replies({ replies }: { replies: MessageTimeline['replies'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (replies.length === 0) return <p className="muted">{t('detail.noReplies')}</p>;
  return (
    <ul className="replies" data-testid="message-replies">
      {replies.map((r) => (
        <li key={r.id}>
          <div className="body-text">{r.body}</div>
          <time className="muted" dateTime={new Date(r.receivedAt).toISOString()}>
            {f.moment(r.receivedAt)}
          </time>
        </li>
      ))}
    </ul>
  );
}

/** The WhatsApp attempt and its copies (resends, the other channel, the e-mail), each one a click away. */
function Related({ m, related, onOpen }: { m: Message; related: Message[]; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ul className="replies" data-testid="message-related">
      {related.map((r) => (
        <li key={r.id} data-testid="related-message" data-channel={r.channel}>
          <button type="button" className="link" onClick={() => onOpen(r.id)}>
            {t('detail.messageNumber', { id: r.id })}
          </button>{' '}
          <span className="muted">
            {r.id === m.resendOf ? t('linked.copyOf') : r.resendOf !== null ? t('linked.copy') : ''}
          </span>{' '}
          {t(`channel.${r.channel}`)} {t('linked.to', { to: r.toEmail ?? r.toPhone })}{' '}
          <Chip tone={messageTone[r.state]} mark={messageMark[r.state]}>{t(`state.${r.state}`)}</Chip>{' '}
          <time className="muted" dateTime={new Date(r.createdAt).toISOString()}>
            {f.moment(r.createdAt)}
          </time>
          {r.lastErrorReason && <div className="timeline-error">{r.lastErrorReason}</div>}
        </li>
      ))}
    </ul>
  );
}
