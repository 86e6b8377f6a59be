import type { AvisaBridge } from '../../shared/api';

// In the desktop app the preload exposes the bridge; in server mode (a plain browser) it is absent.
declare global {
  interface Window {
    avisa?: AvisaBridge;
  }
}

export {};
