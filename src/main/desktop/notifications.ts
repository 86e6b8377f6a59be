import { Notification } from 'electron';
import type { Language } from '../../shared/domain';
import type { AvisaCore } from '../core/app-types';
import { readSettings } from './login-item';

/** At most one notification a minute: a provider outage can fail hundreds of messages in a burst. */
export const NOTIFY_EVERY_MS = 60_000;

export function failureText(count: number, lang: Language = 'es'): { title: string; body: string } {
  if (lang === 'en') {
    return {
      title: count === 1 ? '1 message could not be sent' : `${count} messages could not be sent`,
      body: 'Open Avisa to see why and send them again.',
    };
  }
  return {
    title: count === 1 ? '1 mensaje no se pudo enviar' : `${count} mensajes no se pudieron enviar`,
    body: 'Abra Avisa para ver el motivo y volver a enviarlos.',
  };
}

export interface FailureNotifierDeps {
  core: Pick<AvisaCore, 'invoke' | 'subscribe'>;
  showWindow: () => void;
  now?: () => number;
}

/** Tells the user, natively, when messages fail; failures inside the quiet minute are counted into the next one. */
export function failureNotifier(deps: FailureNotifierDeps): () => void {
  const now = deps.now ?? Date.now;
  let pending = 0;
  let lastShownAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;
  // Electron may garbage-collect a notification that nothing references, and then its click never arrives.
  let shown: Notification | null = null;

  const show = async (count: number): Promise<void> => {
    if (!Notification.isSupported()) return;
    const lang = (await readSettings(deps.core))?.language ?? 'es';
    const notification = new Notification(failureText(count, lang));
    notification.on('click', () => deps.showWindow());
    notification.show();
    shown = notification;
  };

  const flush = (): void => {
    timer = null;
    const count = pending;
    pending = 0;
    lastShownAt = now();
    show(count).catch((error: unknown) => console.error('[avisa] notification failed', error));
  };

  const unsubscribe = deps.core.subscribe((event) => {
    if (event.name === 'channel.alert') {
      // Rare and important (the phone unlinked Avisa, another session took over): shown at once.
      if (Notification.isSupported()) {
        const alert = new Notification({ title: 'Avisa', body: event.data.reason });
        alert.on('click', () => deps.showWindow());
        alert.show();
        shown = alert;
      }
      return;
    }
    if (event.name !== 'message.changed' || event.data.state !== 'failed') return;
    pending += 1;
    if (timer) return;
    const wait = lastShownAt + NOTIFY_EVERY_MS - now();
    if (wait <= 0) flush();
    else timer = setTimeout(flush, wait);
  });

  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
    shown?.close();
    shown = null;
  };
}
