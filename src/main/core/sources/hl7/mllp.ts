// MLLP framing: <VT 0x0B> message <FS 0x1C><CR 0x0D>. TCP delivers bytes, not messages: a frame may arrive split
// over many chunks, or several frames in one. The decoder keeps the pieces and only ever scans new bytes, so a 20 MB
// PDF arriving in 64 KB chunks costs one copy, not hundreds.

export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

export type MllpEvent =
  | { kind: 'frame'; payload: Buffer }
  /** A frame grew past the limit: it is dropped whole, and the sender gets an AR. */
  | { kind: 'oversize'; bytes: number }
  /** Bytes outside any frame (noise, a sender that does not speak MLLP). */
  | { kind: 'junk'; bytes: number };

export interface MllpDecoder {
  push(chunk: Buffer): MllpEvent[];
}

export function createMllpDecoder(maxFrameBytes: number): MllpDecoder {
  let state: 'idle' | 'frame' | 'discard' = 'idle';
  let parts: Buffer[] = [];
  let size = 0;
  // The FS ended the previous chunk: its CR, if any, opens the next one and is not junk.
  let skipCr = false;

  return {
    push(input) {
      const events: MllpEvent[] = [];
      let chunk = input;
      if (skipCr && chunk.length > 0) {
        if (chunk[0] === CR) chunk = chunk.subarray(1);
        skipCr = false;
      }
      while (chunk.length > 0) {
        if (state === 'idle') {
          const start = chunk.indexOf(VT);
          if (start < 0) {
            events.push({ kind: 'junk', bytes: chunk.length });
            break;
          }
          if (start > 0) events.push({ kind: 'junk', bytes: start });
          state = 'frame';
          parts = [];
          size = 0;
          chunk = chunk.subarray(start + 1);
          continue;
        }
        const end = chunk.indexOf(FS);
        // A new VT before the end: the sender gave up on the previous frame and started again.
        const restart = chunk.indexOf(VT);
        if (restart >= 0 && (end < 0 || restart < end)) {
          if (state === 'frame') events.push({ kind: 'junk', bytes: size + restart });
          state = 'idle';
          chunk = chunk.subarray(restart);
          continue;
        }
        const piece = end < 0 ? chunk : chunk.subarray(0, end);
        if (state === 'frame') {
          size += piece.length;
          if (size > maxFrameBytes) {
            events.push({ kind: 'oversize', bytes: size });
            state = 'discard';
            parts = [];
          } else {
            parts.push(piece);
          }
        } else {
          size += piece.length;
        }
        if (end < 0) break;
        if (state === 'frame') events.push({ kind: 'frame', payload: Buffer.concat(parts, size) });
        state = 'idle';
        parts = [];
        chunk = chunk.subarray(end + 1);
        // Tolerate a missing CR after FS; take it when it is there, even in the next chunk.
        if (chunk.length === 0) skipCr = true;
        else if (chunk[0] === CR) chunk = chunk.subarray(1);
      }
      return events;
    },
  };
}

export function frame(payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([VT]), payload, Buffer.from([FS, CR])]);
}
