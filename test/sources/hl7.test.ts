import { connect, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAck,
  createMllpDecoder,
  decode,
  frame,
  interpretHl7,
  startHl7Listener,
  type Hl7Decision,
  type Hl7Inbound,
  type Hl7Listener,
  type Hl7RefusedEvent,
  type SourceAppointment,
  type SourceResult,
} from '../../src/main/core/sources/hl7';
import { corepointS14, makePdf, oruR01, siu } from './hl7-fixtures';

const ZONE = 'America/Lima'; // UTC-5, no DST

let pdf: Buffer;
beforeAll(async () => {
  pdf = await makePdf();
});

// ---------- reading messages ----------

describe('HL7 ORU^R01 → results', () => {
  it('takes the PDF from the ED OBX, the patient from PID, the approval from OBR-25/22/32', () => {
    const read = interpretHl7(oruR01(pdf), ZONE);
    expect(read.ok).toBe(true);
    if (!read.ok || read.inbound.kind !== 'results') return;
    expect(read.inbound.records).toHaveLength(1);
    const result = read.inbound.records[0] as SourceResult;
    expect(result).toMatchObject({
      kind: 'result',
      source: 'hl7',
      sourceKey: 'hl7:Laboratorio Central:9700123',
      resultId: '9700123',
      accessionNumber: '9700123',
      approvedAt: Date.parse('2025-03-10T14:15:00Z'),
      approvedBy: 'Lucia Salazar',
      title: 'Hemograma completo',
      corrected: false,
      patient: {
        documentType: 'DNI',
        documentTypeRaw: 'NNPER',
        documentNumber: '45678912',
        medicalRecordNumber: 'H-000123',
        firstNames: 'ANA MARIA',
        lastNames: 'QUISPE HUAMAN',
        phone: '+51 987654321',
        birthDate: '1986-09-30',
      },
    });
    expect(result.file.kind === 'bytes' && result.file.bytes.equals(pdf)).toBe(true);
    expect(read.inbound.header).toMatchObject({
      messageType: 'ORU',
      event: 'R01',
      controlId: 'NIST-100929110701660',
      sendingApplication: 'LIS Lab',
      sendingFacility: 'Laboratorio Central',
      processingId: 'P',
      version: '2.5.1',
      sentAt: Date.parse('2025-03-10T14:15:02Z'),
    });
  });

  it('names the responsible observer (OBX-16) when there is no interpreter, and marks a correction', () => {
    const read = interpretHl7(oruR01(pdf, { interpreter: false, status: 'C' }), ZONE);
    expect(read.ok && read.inbound.kind === 'results' && read.inbound.records[0]).toMatchObject({
      approvedBy: 'Pedro Mendoza',
      corrected: true,
    });
  });

  it('reads one result per patient when an ORU carries several, and base64 wrapped over lines', () => {
    const one = oruR01(pdf);
    const [, ...rest] = one.split('\r').filter(Boolean);
    const second = rest
      .filter((s) => /^(PID|OBR|OBX)/.test(s))
      .map((s) =>
        s
          .replace('45678912^^^RENIEC^NNPER', '70011122^^^RENIEC^DNI')
          .replace('9700123^Lab', '9700124^Lab')
          // A sender that wraps base64 at 76 characters, as MIME does.
          .replace(/Base64\^([A-Za-z0-9+/=]+)/, (_m, b64: string) => `Base64^${b64.replace(/(.{76})/g, '$1\r\n')}`),
      );
    const read = interpretHl7(one + second.join('\r') + '\r', ZONE);
    expect(read.ok).toBe(true);
    if (!read.ok || read.inbound.kind !== 'results') return;
    expect(read.inbound.records.map((r) => [r.resultId, r.patient.documentNumber])).toEqual([
      ['9700123', '45678912'],
      ['9700124', '70011122'],
    ]);
    const wrapped = read.inbound.records[1]?.file;
    expect(wrapped?.kind === 'bytes' && wrapped.bytes.equals(pdf)).toBe(true);
  });

  it('refuses (AE) a preliminary result, and one without a PDF, saying where', () => {
    const preliminary = interpretHl7(oruR01(pdf, { status: 'P' }), ZONE);
    expect(preliminary).toMatchObject({
      ok: false,
      refusal: { ack: 'AE', code: '103', location: ['OBR', '1', '25'] },
    });
    // NIST's sample as published: a numeric lead result and no report document.
    const noPdf = interpretHl7(oruR01(pdf, { withPdf: false }), ZONE);
    expect(noPdf).toMatchObject({ ok: false, refusal: { ack: 'AE', code: '101', location: ['OBX'] } });
    expect(!noPdf.ok && noPdf.refusal.es).toMatch(/PDF/);

    const notPdf = interpretHl7(oruR01(Buffer.from('just text, not a PDF')), ZONE);
    expect(notPdf).toMatchObject({ ok: false, refusal: { ack: 'AE', code: '102', location: ['OBX', '2', '5'] } });
  });
});

describe('HL7 SIU → appointments', () => {
  const appointment = (text: string): SourceAppointment => {
    const read = interpretHl7(text, ZONE);
    if (!read.ok || read.inbound.kind !== 'appointment') throw new Error(JSON.stringify(read));
    return read.inbound.record;
  };

  it('S12: a new appointment at the local start time, with duration, site, service, professional', () => {
    expect(appointment(siu('S12'))).toEqual({
      kind: 'appointment',
      source: 'hl7',
      sourceKey: 'hl7:SendingFac:2196178',
      appointmentId: '2196178',
      patient: {
        documentType: 'DNI',
        documentTypeRaw: 'DNI',
        documentNumber: '40123456',
        medicalRecordNumber: '42',
        firstNames: 'Rosa Elena',
        lastNames: 'Torres Vega',
        phone: '+51 912345678',
        birthDate: '1978-10-12',
      },
      site: 'Sede Miraflores',
      siteCodes: ['Sede Miraflores', 'CONS3'],
      service: 'Cardiología',
      professional: 'Charles A White',
      startsAt: Date.parse('2025-06-17T13:45:00Z'),
      timeZone: ZONE,
      localStart: '2025-06-17T08:45:00.000',
      durationMinutes: 60,
      status: 'booked',
    });
  });

  it('S13 moves, S15 cancels, S26 marks a no-show — all under the same source key', () => {
    const moved = appointment(siu('S13', { start: '20250618101500' }));
    expect(moved).toMatchObject({ sourceKey: 'hl7:SendingFac:2196178', status: 'rescheduled', startsAt: Date.parse('2025-06-18T15:15:00Z') });
    expect(appointment(siu('S15'))).toMatchObject({ sourceKey: 'hl7:SendingFac:2196178', status: 'cancelled' });
    expect(appointment(siu('S26'))).toMatchObject({ sourceKey: 'hl7:SendingFac:2196178', status: 'no_show' });
  });

  it("S14 follows the filler status, and reads Corepoint's v2.3 sample with LF segment ends", () => {
    expect(appointment(siu('S14', { status: 'Complete' })).status).toBe('attended');
    expect(appointment(corepointS14)).toMatchObject({
      sourceKey: 'hl7:CTX:00331839401',
      appointmentId: '00331839401',
      startsAt: Date.parse('2008-03-06T15:00:00Z'),
      durationMinutes: 20,
      status: 'booked',
      service: 'HEALTHCHECK ANY AGE',
      patient: { documentType: null, documentNumber: '489671', firstNames: 'MICHAEL', lastNames: 'SMITH', phone: '(832)795-8259' },
    });
  });

  it('keeps an explicit offset instead of the site zone', () => {
    const a = appointment(siu('S12', { start: '20250617084500-0300' }));
    expect(a).toMatchObject({ startsAt: Date.parse('2025-06-17T11:45:00Z'), timeZone: null });
  });

  it('answers AE for an SIU event Avisa does not take, AR for a message type it does not take', () => {
    expect(interpretHl7(siu('S17'), ZONE)).toMatchObject({ ok: false, refusal: { ack: 'AE', code: '201' } });
    const adt = siu('S12').replace('SIU^S12', 'ADT^A01');
    expect(interpretHl7(adt, ZONE)).toMatchObject({ ok: false, refusal: { ack: 'AR', code: '200', location: ['MSH', '1', '9'] } });
  });

  it('answers AR for a payload that is not HL7 and for an MSH without a control id', () => {
    expect(interpretHl7('GET / HTTP/1.1\r\nHost: x\r\n\r\n', ZONE)).toMatchObject({ ok: false, refusal: { ack: 'AR', code: '100' } });
    const noId = siu('S12').replace('|123456789-S12|', '||');
    expect(interpretHl7(noId, ZONE)).toMatchObject({ ok: false, refusal: { ack: 'AR', code: '101', location: ['MSH', '1', '10'] } });
  });
});

// ---------- MLLP framing ----------

describe('MLLP framing', () => {
  it('reassembles a frame split at every possible byte, including between FS and CR', () => {
    const payload = Buffer.from(siu('S12'), 'utf8');
    const wire = Buffer.concat([frame(payload), frame(Buffer.from('second'))]);
    for (let cut = 1; cut < wire.length; cut++) {
      const decoder = createMllpDecoder(1 << 20);
      const events = [...decoder.push(wire.subarray(0, cut)), ...decoder.push(wire.subarray(cut))];
      const frames = events.filter((e) => e.kind === 'frame');
      expect(frames.map((f) => f.kind === 'frame' && f.payload.toString()), `cut at ${cut}`).toEqual([payload.toString(), 'second']);
      expect(events.filter((e) => e.kind === 'junk'), `cut at ${cut}`).toEqual([]);
    }
  });

  it('reports bytes outside frames and drops a frame past the size limit', () => {
    const decoder = createMllpDecoder(10);
    const events = decoder.push(Buffer.concat([Buffer.from('noise'), frame(Buffer.from('0123456789ABC')), frame(Buffer.from('ok'))]));
    expect(events).toEqual([
      { kind: 'junk', bytes: 5 },
      { kind: 'oversize', bytes: 13 },
      { kind: 'frame', payload: Buffer.from('ok') },
    ]);
  });
});

// ---------- the listener, over TCP ----------

interface Ack {
  segments: string[][];
  msh: string[];
  msa: string[];
  err: string[] | undefined;
}

/** Reads an ACK by plain splitting, independent of the parser under test. MSH fields are indexed as HL7 numbers them. */
function readAck(text: string): Ack {
  const segments = text.split('\r').filter(Boolean).map((s) => s.split('|'));
  const msh = ['MSH', '|', ...(segments[0] ?? []).slice(1)];
  return { segments, msh, msa: segments.find((s) => s[0] === 'MSA') ?? [], err: segments.find((s) => s[0] === 'ERR') };
}

class Client {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(port: number): Promise<Client> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Client(socket);
  }
  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }
  /** Sends in small pieces with pauses, as a slow link would. */
  async trickle(bytes: Buffer, size: number): Promise<void> {
    for (let i = 0; i < bytes.length; i += size) {
      await this.write(bytes.subarray(i, i + size));
      if (i % (size * 50) === 0) await new Promise((r) => setTimeout(r, 1));
    }
  }
  async acks(count: number, encoding: BufferEncoding = 'utf8'): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const frames: string[] = [];
      const decoder = createMllpDecoder(1 << 20);
      for (const e of decoder.push(this.buffer)) if (e.kind === 'frame') frames.push(e.payload.toString(encoding));
      if (frames.length >= count) return frames;
      if (Date.now() > deadline) throw new Error(`only ${frames.length} ACKs`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('HL7 MLLP listener', () => {
  let listener: Hl7Listener | undefined;
  let client: Client | undefined;
  const received: Hl7Inbound[] = [];
  const refused: Hl7RefusedEvent[] = [];
  let decide: (inbound: Hl7Inbound) => Hl7Decision | Promise<Hl7Decision> = () => ({ accept: true });

  async function start(): Promise<Client> {
    listener = await startHl7Listener({
      port: 0,
      timeZone: ZONE,
      handler: (inbound) => {
        received.push(inbound);
        return decide(inbound);
      },
      onRefused: (event) => refused.push(event),
      now: () => Date.parse('2025-03-10T14:20:00Z'),
    });
    expect(listener.host).toBe('127.0.0.1');
    client = await Client.open(listener.port);
    return client;
  }

  afterEach(async () => {
    client?.close();
    await listener?.close();
    received.length = 0;
    refused.length = 0;
    decide = () => ({ accept: true });
  });

  it('accepts an ORU sent in small pieces and answers AA, field by field', async () => {
    const c = await start();
    await c.trickle(frame(Buffer.from(oruR01(pdf), 'utf8')), 97);
    const [ackText] = await c.acks(1);
    const ack = readAck(ackText ?? '');
    expect(ack.msh[1]).toBe('|');
    expect(ack.msh[2]).toBe('^~\\&');
    expect(ack.msh[3]).toBe('AVISA^2.16.840.1.113883.3.72.7.3^HL7'); // was MSH-5
    expect(ack.msh[4]).toBe('Clinica San Pablo^2.16.840.1.113883.3.72.7.4^HL7'); // was MSH-6
    expect(ack.msh[5]).toBe('LIS Lab^2.16.840.1.113883.3.72.7.1^HL7'); // was MSH-3
    expect(ack.msh[6]).toBe('Laboratorio Central^2.16.840.1.113883.3.72.7.2^HL7'); // was MSH-4
    expect(ack.msh[7]).toBe('20250310092000-0500');
    expect(ack.msh[9]).toBe('ACK^R01^ACK');
    expect(ack.msh[10]).toMatch(/^AVISA[0-9A-Z]+$/);
    expect(ack.msh[11]).toBe('P');
    expect(ack.msh[12]).toBe('2.5.1');
    expect(ack.msa).toEqual(['MSA', 'AA', 'NIST-100929110701660']);
    expect(ack.err).toBeUndefined();
    expect(received).toHaveLength(1);
    expect(received[0]?.kind).toBe('results');
  });

  it('answers each of several messages coalesced in one write, in order', async () => {
    const c = await start();
    await c.write(
      Buffer.concat([
        frame(Buffer.from(siu('S12', { controlId: 'C1' }))),
        frame(Buffer.from(siu('S15', { controlId: 'C2' }))),
        frame(Buffer.from(siu('S26', { controlId: 'C3' }))),
      ]),
    );
    const acks = (await c.acks(3)).map(readAck);
    expect(acks.map((a) => [a.msh[9], a.msa[1], a.msa[2]])).toEqual([
      ['ACK^S12^ACK', 'AA', 'C1'],
      ['ACK^S15^ACK', 'AA', 'C2'],
      ['ACK^S26^ACK', 'AA', 'C3'],
    ]);
    expect(received.map((r) => (r.kind === 'appointment' ? r.record.status : r.kind))).toEqual(['booked', 'cancelled', 'no_show']);
  });

  it('answers AE with an ERR when the message is understood but unusable', async () => {
    const c = await start();
    await c.write(frame(Buffer.from(oruR01(pdf, { withPdf: false, controlId: 'NOPDF-1' }))));
    const ack = readAck((await c.acks(1))[0] ?? '');
    expect(ack.msa[1]).toBe('AE');
    expect(ack.msa[2]).toBe('NOPDF-1');
    expect(ack.msa[3]).toMatch(/PDF/);
    expect(ack.err?.[2]).toBe('OBX'); // ERR-2 location
    expect(ack.err?.[3]).toBe('101^Required field missing^HL70357'); // ERR-3
    expect(ack.err?.[4]).toBe('E'); // ERR-4 severity
    expect(ack.err?.[7]).toMatch(/no PDF/); // ERR-7 diagnostic (English)
    expect(ack.err?.[8]).toMatch(/no trae el PDF/); // ERR-8 user message (Spanish)
    expect(received).toHaveLength(0);
    expect(refused).toEqual([expect.objectContaining({ ack: 'AE', raw: expect.stringContaining('NOPDF-1') })]);
  });

  it('answers AR to a framed payload that is not HL7, echoing nothing it cannot know', async () => {
    const c = await start();
    await c.write(frame(Buffer.from('{"hello": "world"}')));
    const ack = readAck((await c.acks(1))[0] ?? '');
    expect(ack.msh[3]).toBe('AVISA');
    expect(ack.msh[9]).toBe('ACK');
    expect(ack.msh[12]).toBe('2.5');
    expect(ack.msa.slice(0, 3)).toEqual(['MSA', 'AR', '']);
    expect(ack.err?.[3]).toBe('100^Segment sequence error^HL70357');
    expect(refused[0]?.ack).toBe('AR');
  });

  it('answers AR to an unsupported message type and AE to an unsupported SIU event', async () => {
    const c = await start();
    await c.write(frame(Buffer.from(siu('S12', { controlId: 'ADT-1' }).replace('SIU^S12', 'ADT^A01'))));
    await c.write(frame(Buffer.from(siu('S17', { controlId: 'S17-1' }))));
    const [adt, s17] = (await c.acks(2)).map(readAck);
    expect([adt?.msa[1], adt?.msa[2], adt?.err?.[3]]).toEqual(['AR', 'ADT-1', '200^Unsupported message type^HL70357']);
    expect(adt?.msh[9]).toBe('ACK^A01^ACK');
    expect([s17?.msa[1], s17?.msa[2], s17?.err?.[3]]).toEqual(['AE', 'S17-1', '201^Unsupported event code^HL70357']);
  });

  it("lets intake refuse (AE with its reason, escaped) and answers AR when intake fails", async () => {
    const c = await start();
    decide = () => ({ accept: false, es: 'Paciente desconocido | revisar', en: 'Unknown patient | review' });
    await c.write(frame(Buffer.from(siu('S12', { controlId: 'R1' }))));
    const refusedAck = readAck((await c.acks(1))[0] ?? '');
    expect([refusedAck.msa[1], refusedAck.msa[2]]).toEqual(['AE', 'R1']);
    expect(refusedAck.msa[3]).toBe('Paciente desconocido \\F\\ revisar');
    expect(refusedAck.err?.[3]).toBe('207^Application internal error^HL70357');

    decide = () => {
      throw new Error('database is locked');
    };
    await c.write(frame(Buffer.from(siu('S12', { controlId: 'R2' }))));
    const failed = readAck((await c.acks(2))[1] ?? '');
    expect([failed.msa[1], failed.msa[2]]).toEqual(['AR', 'R2']);
    expect(failed.err?.[7]).toMatch(/database is locked/);
  });

  it('reads a Latin-1 message (MSH-18 8859/1) and answers in the same character set', async () => {
    const c = await start();
    const text = oruR01(pdf, { charset: '8859/1', controlId: 'LAT-1' }).replace('QUISPE HUAMAN', 'MUÑOZ PEÑA');
    await c.write(frame(Buffer.from(text, 'latin1')));
    const ack = readAck((await c.acks(1, 'latin1'))[0] ?? '');
    expect(ack.msa[1]).toBe('AA');
    expect(ack.msh[18]).toBe('8859/1');
    const first = received[0];
    expect(first?.kind === 'results' && first.records[0]?.patient.lastNames).toBe('MUÑOZ PEÑA');
  });

  it('reads undeclared Latin-1 as Latin-1 and UTF-8 as UTF-8', () => {
    const text = 'MSH|^~\\&|A|B|C|D|20250101||SIU^S12|1|P|2.5\rPID|1||1||MUÑOZ^JOSÉ\r';
    expect(decode(Buffer.from(text, 'latin1'))).toEqual({ text, encoding: 'latin1' });
    expect(decode(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'utf8' });
  });

  it('writes a v2.3 ERR as ERR-1 (segment^sequence^field^code&text&table)', () => {
    const read = interpretHl7(corepointS14.replace('SIU^S14', 'SIU^S17'), ZONE);
    if (read.ok) throw new Error('expected a refusal');
    const ack = readAck(
      buildAck({ message: read.message, code: read.refusal.ack, refusal: read.refusal, controlId: 'X1', at: 0, zone: 'UTC', applicationName: 'AVISA' }),
    );
    expect(ack.msh.slice(3, 7)).toEqual(['AVISA', 'MED2000', 'GPMS', 'CTX']); // empty MSH-5 → our name
    expect(ack.err).toEqual(['ERR', 'MSH^1^9^201&Unsupported event code&HL70357']);
  });
});
