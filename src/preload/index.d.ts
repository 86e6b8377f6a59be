import type { AvisaBridge } from '../shared/api';

// Same shape the renderer declares: optional, because in server mode (browser) there is no preload.
declare global {
  interface Window {
    avisa?: AvisaBridge;
  }
}

export {};
