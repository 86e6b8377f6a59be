import { connect } from 'node:net';

// MLLP framing as the HL7 v2 standard gives it: <VT> message <FS><CR>, in Latin-1 as most lab systems still send.

/** Sends one MLLP frame to the listener on 127.0.0.1:`port` and returns the ACK's text. */
export function sendHl7(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'latin1'), Buffer.from([0x1c, 0x0d])])),
    );
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.includes(0x1c)) {
        socket.end();
        resolve(data.subarray(1, data.indexOf(0x1c)).toString('latin1'));
      }
    });
    socket.on('error', reject);
  });
}
