import type { ChannelId } from '../../../shared/domain';
import { inFlightFor, sendMeter } from './pacing';

/** Sends in flight for a channel with no pace of its own (the phone paces itself, one message at a time). */
const UNPACED_IN_FLIGHT = 16;
/** Most sends in flight for any channel: 1,000 msg/s at Meta's usual ~200 ms needs about 300. */
export const MAX_IN_FLIGHT = 1024;

/**
 * Sizes each channel's sends in flight from its pace and measured latency, so the configured messages per second are
 * reachable (16 fixed in flight capped the Cloud API near 80/s at 200 ms), and reports the rate actually achieved.
 */
export function channelThroughput(o: { now: () => number; paceOf: (id: ChannelId) => number }) {
  const meters = new Map<ChannelId, ReturnType<typeof sendMeter>>();
  const meterOf = (id: ChannelId) => {
    let m = meters.get(id);
    if (!m) meters.set(id, (m = sendMeter(o.now)));
    return m;
  };
  const limit = (id: ChannelId) =>
    o.paceOf(id) > 0 ? inFlightFor(o.paceOf(id), meterOf(id).latencyMs(), MAX_IN_FLIGHT) : UNPACED_IN_FLIGHT;
  return {
    inFlightFor: limit,
    onSendTimed: (id: ChannelId, ms: number, ok: boolean) => meterOf(id).record(ms, ok),
    /** What a person sees: achieved vs configured pace, the latency and the sends in flight it allows. */
    view(id: ChannelId): { perSecond: number; pace: number; latencyMs: number; inFlight: number } {
      const m = meterOf(id);
      return { perSecond: m.perSecond(), pace: o.paceOf(id), latencyMs: Math.round(m.latencyMs()), inFlight: limit(id) };
    },
  };
}
