// The UI's only way to the core. Desktop: the preload's bridge (IPC). Server mode: HTTP + Server-Sent Events,
// authenticated by the person's session cookie (HttpOnly: this code never sees it). Components call `call` and
// `subscribe` and never learn which one is in use.
import type { ApiResponse, ArgsOf, AvisaBridge, AvisaEvent, HandlerName, ResultOf } from '../../../shared/api';

export class ApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Whatever was thrown, as something with a code and a message a person can read. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error) return new ApiError('unexpected', error.message);
  return new ApiError('unexpected', String(error));
}

// ---- "please log in" notifications (server mode only) ----

const authListeners = new Set<() => void>();

/** Called whenever the core asks for a person to sign in (again); returns an unsubscribe function. */
export function onAuthRequired(listener: () => void): () => void {
  authListeners.add(listener);
  return () => {
    authListeners.delete(listener);
  };
}

function authRequired(): void {
  for (const listener of authListeners) listener();
}

// ---- HTTP transport ----

async function parseResponse<T>(response: Response): Promise<ApiResponse<T>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isApiResponse<T>(body)) return body;
  // A proxy page or an empty body: still an error with a readable message.
  return { ok: false, error: { code: `http_${response.status}`, message: `HTTP ${response.status} ${response.statusText}` } };
}

function isApiResponse<T>(body: unknown): body is ApiResponse<T> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  if (body.ok === true) return 'result' in body;
  return 'error' in body && typeof body.error === 'object' && body.error !== null;
}

async function post<T>(path: string, payload: unknown): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(payload ?? {}), credentials: 'same-origin' });
  } catch (error) {
    return { ok: false, error: { code: 'network', message: toApiError(error).message } };
  }
  const parsed = await parseResponse<T>(response);
  if (response.status === 401 && parsed.ok) {
    return { ok: false, error: { code: 'unauthorized', message: 'HTTP 401' } };
  }
  return parsed;
}

// One EventSource shared by every subscriber; reopened after signing in or when the server went away.
const eventListeners = new Set<(event: AvisaEvent) => void>();
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
const RETRY_MS = 5_000;
// Whoever keeps data live reloads it when events may have been missed: at the stream's first opening (a list loaded
// while it was still connecting missed what changed in between), and whenever the server cannot replay what a dropped
// stream missed.
const reopenListeners = new Set<() => void>();

function reloadLiveData(): void {
  for (const listener of reopenListeners) listener();
}

function openEvents(): void {
  if (source || eventListeners.size === 0) return;
  const es = new EventSource('/api/events');
  source = es;
  // Once an event with an id came, the browser reconnects a dropped stream with Last-Event-ID and the server sends
  // first what was missed, or `resync` when it no longer knows (it restarted, or the id is older than what it keeps).
  // Before that, a reconnection resumes from nowhere, as a first opening does.
  let resumable = false;
  es.onopen = () => {
    if (!resumable) reloadLiveData();
  };
  es.addEventListener('resync', reloadLiveData);
  es.onmessage = (message: MessageEvent<string>) => {
    if (message.lastEventId) resumable = true;
    let event: AvisaEvent;
    try {
      event = JSON.parse(message.data) as AvisaEvent;
    } catch {
      return; // A malformed line must not break the stream for the rest.
    }
    for (const listener of eventListeners) listener(event);
  };
  es.onerror = () => {
    // The browser retries dropped streams by itself, but gives up for good on an HTTP error (e.g. 401).
    if (es.readyState !== EventSource.CLOSED) return;
    closeEvents();
    retryTimer ??= setTimeout(() => {
      retryTimer = null;
      openEvents();
    }, RETRY_MS);
  };
}

function closeEvents(): void {
  source?.close();
  source = null;
}

function reconnectEvents(): void {
  closeEvents();
  openEvents();
}

const httpBridge: AvisaBridge = {
  call: (name, args) => post(`/api/call/${name}`, args),
  subscribe(listener) {
    eventListeners.add(listener);
    openEvents();
    return () => {
      eventListeners.delete(listener);
      if (eventListeners.size === 0) closeEvents();
    };
  },
};

// ---- public API ----

const desktopBridge: AvisaBridge | undefined = window.avisa;
const bridge: AvisaBridge = desktopBridge ?? httpBridge;

/** Which transport is in use: the desktop (IPC) or a browser (HTTP), for what differs between them. */
export const transport: 'ipc' | 'http' = desktopBridge ? 'ipc' : 'http';

export async function call<N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>> {
  let response: ApiResponse<ResultOf<N>>;
  try {
    response = await bridge.call(name, args);
  } catch (error) {
    throw toApiError(error);
  }
  if (response.ok) return response.result;
  // The session ended (idle, revoked, or the desktop locked itself): the lock or sign-in screen comes back.
  if (response.error.code === 'sign_in_required' || response.error.code === 'unauthorized') authRequired();
  throw new ApiError(response.error.code, response.error.message);
}

export function subscribe(listener: (event: AvisaEvent) => void): () => void {
  return bridge.subscribe(listener);
}

/** Server mode: signs a person in; the server answers with an HttpOnly session cookie. */
export async function login(documentNumber: string, secret: string): Promise<void> {
  const response = await post<unknown>('/api/login', { documentNumber, secret });
  if (!response.ok) throw new ApiError(response.error.code, response.error.message);
  reconnectEvents();
}

/** Server mode: ends the session (the server forgets it and clears the cookie); desktop: locks. */
export async function logout(): Promise<void> {
  if (transport === 'http') {
    await post<unknown>('/api/logout', {});
    closeEvents();
  } else {
    await call('session.lock', {});
  }
}

/**
 * Calls `listener` each time live data must be loaded again: when the event stream first opens (what was loaded before
 * may have missed an event), when it opens again without a way to resume, and when the server says `resync` (events
 * were missed that it can no longer replay). Never on the desktop, whose events cannot drop.
 */
export function onEventsReopened(listener: () => void): () => void {
  reopenListeners.add(listener);
  return () => reopenListeners.delete(listener);
}
