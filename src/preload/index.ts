// The renderer's only door to the main process: two functions, never ipcRenderer itself, so a compromised page
// can call the validated handlers and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AvisaBridge, AvisaEvent } from '../shared/api';

// Must match src/main/desktop/ipc.ts (not imported: the preload bundle must not pull in main-process code).
const CALL_CHANNEL = 'avisa:call';
const EVENT_CHANNEL = 'avisa:event';

const bridge: AvisaBridge = {
  call: (name, args) => ipcRenderer.invoke(CALL_CHANNEL, name, args),
  subscribe(listener) {
    const handler = (_event: IpcRendererEvent, event: AvisaEvent): void => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('avisa', bridge);
