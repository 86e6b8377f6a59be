import { execFile } from 'node:child_process';

// An MLLP client that is not ours: python-hl7's hl7.client.MLLPClient (Debian's python3-hl7), so a test exercises the
// listener the way another vendor's code frames, sends and reads.

const script = `
import sys
from hl7.client import MLLPClient
message = sys.stdin.buffer.read().decode('utf-8').replace('\\n', '\\r')
with MLLPClient(sys.argv[1], int(sys.argv[2])) as client:
    ack = client.send_message(message)
sys.stdout.write(ack.decode('utf-8').strip('\\x0b\\x1c\\r'))
`;

/** Sends one HL7 message (segments separated by \\r or \\n) and returns the ACK's text, segments separated by \\r. */
export function sendWithPythonHl7(port: number, message: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', ['-c', script, host, String(port)], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python-hl7: ${stderr || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(Buffer.from(message, 'utf8'));
  });
}

/** MSA-1 and MSA-3 of an ACK. */
export function msaOf(ack: string): { code: string; text: string } {
  const msa = ack.split('\r').find((s) => s.startsWith('MSA'))?.split('|') ?? [];
  return { code: msa[1] ?? '', text: msa[3] ?? '' };
}
