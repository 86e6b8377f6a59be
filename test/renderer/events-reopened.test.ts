import { afterAll, describe, expect, it, vi } from 'vitest';

// The browser's EventSource as the HTML standard describes it, reduced to what the client uses: it opens, may drop
// and reconnect by itself (readyState CONNECTING, then `open` again, sending Last-Event-ID once an event carried an
// id), or close for good. Unnamed events go to `onmessage`; a named one (`event: resync`) only to the listeners added
// for its name, with the last id seen so far.
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string; lastEventId: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  private lastEventId = '';
  private readonly named = new Map<string, ((message: { data: string; lastEventId: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, listener: (message: { data: string; lastEventId: string }) => void): void {
    this.named.set(type, [...(this.named.get(type) ?? []), listener]);
  }
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  /** One frame of the stream: `id:` (optional), `event:` (optional, else a message), `data:`. */
  receive(frame: { id?: string; event?: string; data: string }): void {
    if (frame.id !== undefined) this.lastEventId = frame.id;
    const message = { data: frame.data, lastEventId: this.lastEventId };
    if (frame.event === undefined || frame.event === 'message') this.onmessage?.(message);
    for (const listener of this.named.get(frame.event ?? 'message') ?? []) listener(message);
  }
  drop(): void {
    this.readyState = FakeEventSource.CONNECTING;
    this.onerror?.();
  }
  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

vi.stubGlobal('window', {});
vi.stubGlobal('EventSource', FakeEventSource);
afterAll(() => {
  vi.unstubAllGlobals();
});

const event = (id: string) => ({ id, data: JSON.stringify({ name: 'patients.changed', data: {} }) });

describe('the event stream coming back', () => {
  it('tells live data to reload when the stream first opens, when the server says resync, and when it reopens with nothing to resume from', async () => {
    const { onEventsReopened, subscribe } = await import('../../src/renderer/src/api/client');
    let reloads = 0;
    const off = onEventsReopened(() => reloads++);
    const heard: string[] = [];
    const unsubscribe = subscribe((e) => heard.push(e.name));
    const stream = FakeEventSource.all[0]!;

    // What was loaded before the stream opened may have missed an event.
    stream.open();
    expect(reloads).toBe(1);

    // Dropped before any event carried an id: the browser reconnects without Last-Event-ID, so nothing is replayed.
    stream.drop();
    stream.open();
    expect(reloads).toBe(2);

    // After an event with an id the reconnection resumes: the server sends what was missed, no reload is needed.
    stream.receive(event('a1b2-7'));
    stream.drop();
    stream.open();
    stream.receive(event('a1b2-8'));
    expect(reloads).toBe(2);
    expect(heard).toEqual(['patients.changed', 'patients.changed']);

    // The server no longer knows what was missed (it restarted, or the id is too old): everything shown loads again.
    stream.drop();
    stream.open();
    stream.receive({ event: 'resync', data: '{}' });
    expect(reloads).toBe(3);
    // A named event is not one of the core's events.
    expect(heard).toHaveLength(2);

    off();
    stream.receive({ event: 'resync', data: '{}' });
    expect(reloads).toBe(3);
    unsubscribe();
  });
});
