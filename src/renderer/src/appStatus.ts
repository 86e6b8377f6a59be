import { createContext, useContext } from 'react';
import type { AppStatus } from '../../shared/api';

export interface AppStatusApi {
  status: AppStatus;
  /** Use a status the core just returned (e.g. from `sending.resume`). */
  apply(status: AppStatus): void;
  /** Ask the core again, after a change that affects the header (name, channel, pause). */
  refresh(): void;
}

export const AppStatusContext = createContext<AppStatusApi | null>(null);

export function useAppStatus(): AppStatusApi {
  const api = useContext(AppStatusContext);
  if (!api) throw new Error('useAppStatus outside the app shell');
  return api;
}
