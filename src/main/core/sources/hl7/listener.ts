import { createServer, type Server, type Socket } from 'node:net';
import { buildAck, type AckCode } from './ack';
import { errorCodes, refusal, type Hl7ErrorCode, type Hl7Header, type Hl7Refusal } from './header';
import { interpretHl7, type Hl7Inbound } from './interpret';
import { createMllpDecoder, frame } from './mllp';
import type { Hl7Message } from './parse';

// The MLLP listener shared by results (ORU) and appointments (SIU). Each connection is handled in order: the ACK for
// one message is written before the next is read, so a cancellation never overtakes the booking it cancels.

export type Hl7Decision =
  /** A warning (the time was read by a rule the sender should know) goes back in MSA-3 and an ERR of severity W. */
  | { accept: true; warning?: { es: string; en: string } }
  /** AE (default): understood but not taken; AR: rejected. The reason goes back in MSA-3 and ERR. */
  | { accept: false; ack?: 'AE' | 'AR'; code?: Hl7ErrorCode; es: string; en: string };

export interface Hl7RefusedEvent {
  remote: string;
  ack: 'AE' | 'AR';
  header?: Hl7Header;
  refusal: Hl7Refusal;
  /** The message as received, so it can be kept for review and fixed by hand: nothing read is lost. */
  raw: string;
}

export interface Hl7ListenerOptions {
  /** 127.0.0.1 unless the lab system sits on another machine; then the LAN address (or 0.0.0.0). */
  host?: string;
  port?: number;
  /** IANA zone for HL7 times sent without an offset (the site's zone). */
  timeZone: string;
  /** Intake: accept (AA) or refuse. A throw answers AR 207, which tells the sender to try again later. */
  handler(inbound: Hl7Inbound): Hl7Decision | Promise<Hl7Decision>;
  onRefused?(event: Hl7RefusedEvent): void;
  maxMessageBytes?: number;
  /** Our name in the ACK's MSH-3 when the sender left MSH-5 empty. */
  applicationName?: string;
  now?: () => number;
}

export interface Hl7Listener {
  host: string;
  port: number;
  connectionCount(): number;
  close(): Promise<void>;
}

export const HL7_DEFAULT_PORT = 2575;

export async function startHl7Listener(options: Hl7ListenerOptions): Promise<Hl7Listener> {
  const host = options.host ?? '127.0.0.1';
  const maxBytes = options.maxMessageBytes ?? 64 * 1024 * 1024;
  const sockets = new Set<Socket>();
  let ackCounter = 0;
  const now = options.now ?? Date.now;

  const nextControlId = () => `AVISA${now().toString(36).toUpperCase()}${(++ackCounter).toString(36).toUpperCase()}`;

  async function answer(payload: Buffer, remote: string): Promise<Buffer> {
    const { text, encoding } = decode(payload);
    const interpretation = interpretHl7(text, options.timeZone);
    let code: AckCode = 'AA';
    let why: Hl7Refusal | undefined;
    const message: Hl7Message | undefined = interpretation.message;
    let header: Hl7Header | undefined;
    let warning: { es: string; en: string } | undefined;
    if (!interpretation.ok) {
      why = interpretation.refusal;
      header = interpretation.header;
    } else {
      header = interpretation.inbound.header;
      try {
        const decision = await options.handler(interpretation.inbound);
        if (!decision.accept) {
          why = refusal(decision.ack ?? 'AE', decision.code ?? errorCodes.internalError, [], decision.es, decision.en);
        } else {
          warning = decision.warning;
        }
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        why = refusal('AR', errorCodes.internalError, [], `Error interno de Avisa: ${detail}`, `Avisa internal error: ${detail}`);
      }
    }
    if (why) {
      code = why.ack;
      options.onRefused?.({ remote, ack: why.ack, header, refusal: why, raw: text });
    }
    const ack = buildAck({
      message,
      code,
      refusal: why,
      warning,
      controlId: nextControlId(),
      at: now(),
      zone: options.timeZone,
      applicationName: options.applicationName ?? 'AVISA',
    });
    return frame(Buffer.from(ack, encoding));
  }

  function onConnection(socket: Socket): void {
    sockets.add(socket);
    socket.setKeepAlive(true, 60_000);
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const decoder = createMllpDecoder(maxBytes);
    let queue: Promise<void> = Promise.resolve();
    const send = (bytes: Buffer) => {
      if (!socket.destroyed) socket.write(bytes);
    };
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind === 'frame') {
          queue = queue.then(() => answer(event.payload, remote).then(send));
        } else if (event.kind === 'oversize') {
          const why = refusal(
            'AR',
            errorCodes.internalError,
            [],
            `Mensaje demasiado grande (más de ${maxBytes} bytes).`,
            `Message too large (over ${maxBytes} bytes).`,
          );
          queue = queue.then(() => {
            options.onRefused?.({ remote, ack: 'AR', refusal: why, raw: '' });
            const ack = buildAck({ code: 'AR', refusal: why, controlId: nextControlId(), at: now(), zone: options.timeZone, applicationName: options.applicationName ?? 'AVISA' });
            send(frame(Buffer.from(ack, 'utf8')));
          });
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  }

  const server: Server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? HL7_DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? HL7_DEFAULT_PORT);

  return {
    host,
    port,
    connectionCount: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The message's text in its character set: MSH-18 when declared (8859/1 is common in Latin American lab systems),
 * else UTF-8 if the bytes are valid UTF-8, else Latin-1 — a legacy sender's "Ñ" must not become "�".
 */
export function decode(payload: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  const head = payload.subarray(0, Math.min(payload.length, 4096)).toString('latin1');
  const firstLine = head.split(/\r|\n/)[0] ?? '';
  const separator = firstLine[3] ?? '|';
  const charset = firstLine.startsWith('MSH') ? (firstLine.split(separator)[17] ?? '') : '';
  if (/8859/.test(charset)) return { text: payload.toString('latin1'), encoding: 'latin1' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(payload), encoding: 'utf8' };
  } catch {
    return { text: payload.toString('latin1'), encoding: 'latin1' };
  }
}
