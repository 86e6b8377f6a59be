import { afterAll, describe, expect, it, vi } from 'vitest';

// The browser's EventSource as the HTML standard describes it, reduced to what the client uses: it opens, may drop
// and reconnect by itself (readyState CONNECTING, then `open` again), or close for good.
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
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

describe('the event stream coming back', () => {
  it('tells live data to reload when the stream first opens (what loaded before may have missed an event) and when it reopens after a drop', async () => {
    const { onEventsReopened, subscribe } = await import('../../src/renderer/src/api/client');
    let reloads = 0;
    const off = onEventsReopened(() => reloads++);
    const unsubscribe = subscribe(() => undefined);
    const stream = FakeEventSource.all[0]!;
    stream.open();
    expect(reloads).toBe(1);
    stream.drop();
    stream.open();
    expect(reloads).toBe(2);
    off();
    stream.drop();
    stream.open();
    expect(reloads).toBe(2);
    unsubscribe();
  });
});
