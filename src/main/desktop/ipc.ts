import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ApiResponse } from '../../shared/api';
import type { AvisaCore } from '../core/app-types';
import { isAppUrl } from './window';

export const CALL_CHANNEL = 'avisa:call';
export const EVENT_CHANNEL = 'avisa:event';

const forbidden: ApiResponse<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'Origen no permitido. / Caller not allowed.' },
};

export interface IpcOptions {
  /** Which document may call the core; the app's own UI by default. */
  isTrustedUrl?: (url: string) => boolean;
  /** Told about every answered call (index.ts re-applies the login item after `settings.update`). */
  afterCall?: (name: string, response: ApiResponse<unknown>) => void;
}

/** Routes UI calls to the core and core events to every window. Returns a function that undoes both. */
export function registerIpc(core: Pick<AvisaCore, 'invoke' | 'subscribe'>, options: IpcOptions = {}): () => void {
  const isTrustedUrl = options.isTrustedUrl ?? isAppUrl;

  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, args: unknown) => {
    // A page that navigated elsewhere (or an injected frame) would keep the preload's bridge: check who is asking.
    const url = event.senderFrame?.url;
    if (!url || !isTrustedUrl(url)) return forbidden;
    const handlerName = typeof name === 'string' ? name : String(name);
    // The core decides what runs, for whoever unlocked this computer.
    const response = await core.invoke(handlerName, args, { via: 'desktop' });
    try {
      options.afterCall?.(handlerName, response);
    } catch (error) {
      console.error('[avisa] afterCall failed', error);
    }
    return response;
  });

  const unsubscribe = core.subscribe((event) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
      win.webContents.send(EVENT_CHANNEL, event);
    }
  });

  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}
