import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFreePort } from './ports';

// A real Orthanc (Debian's package) started for one test on a free loopback port, with its storage in a temporary
// directory, and small DICOM studies made with dcmtk's dump2dcm.

export const orthancBinary = ['/usr/sbin/Orthanc', '/usr/bin/Orthanc'].find((p) => existsSync(p)) ?? null;
const dicomWebPlugin = ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'].find((p) => existsSync(p)) ?? null;

export interface RunningOrthanc {
  url: string;
  username: string;
  password: string;
  /** Whether the DICOMweb plugin is loaded (then /dicom-web/studies/{uid} answers). */
  dicomWeb: boolean;
  log: () => string;
  /** Uploads a DICOM file through the REST API (POST /instances); answers Orthanc's study id. */
  upload(file: Buffer): Promise<string>;
  stop(): Promise<void>;
}

export interface StudyTags {
  accessionNumber: string;
  studyUid: string;
  patientId: string;
  patientName: string;
  /** Distinct per instance; defaults from the study UID. */
  sopInstanceUid?: string;
}

/** A one-instance study, written from a text dump by dump2dcm (dcmtk). */
export function makeStudy(dir: string, tags: StudyTags): Buffer {
  const sop = tags.sopInstanceUid ?? `${tags.studyUid}.1.1`;
  const dump = [
    '(0008,0016) UI =SecondaryCaptureImageStorage',
    `(0008,0018) UI [${sop}]`,
    '(0008,0020) DA [20250301]',
    `(0008,0050) SH [${tags.accessionNumber}]`,
    '(0008,0060) CS [OT]',
    `(0010,0010) PN [${tags.patientName}]`,
    `(0010,0020) LO [${tags.patientId}]`,
    `(0020,000d) UI [${tags.studyUid}]`,
    `(0020,000e) UI [${tags.studyUid}.1]`,
  ].join('\n');
  const text = join(dir, `${sop}.txt`);
  const out = join(dir, `${sop}.dcm`);
  writeFileSync(text, `${dump}\n`);
  execFileSync('dump2dcm', ['--quiet', '--write-xfer-little', text, out]);
  return readFileSync(out);
}

export async function startOrthanc(dir: string, auth = { username: 'avisa', password: 'secreto' }): Promise<RunningOrthanc> {
  if (!orthancBinary) throw new Error('Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)');
  const storage = join(dir, 'orthanc-db');
  mkdirSync(storage, { recursive: true });
  const authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  // Another test's Orthanc may hold the port with the same user: only ours knows this start's own probe user.
  const probe = { username: 'avisa-probe', password: randomBytes(12).toString('hex') };
  const probeAuthorization = `Basic ${Buffer.from(`${probe.username}:${probe.password}`).toString('base64')}`;

  // A port taken between the probe and Orthanc's start: Orthanc exits saying so, and another port is tried.
  const launch = async (port: number) => {
    const config = {
      Name: 'AvisaTest',
      StorageDirectory: storage,
      IndexDirectory: storage,
      HttpPort: port,
      HttpServerEnabled: true,
      // Only the REST API is needed: no DICOM listener, nothing reachable from outside this machine.
      DicomServerEnabled: false,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: true,
      RegisteredUsers: { [auth.username]: auth.password, [probe.username]: probe.password },
      Plugins: dicomWebPlugin ? [dicomWebPlugin] : [],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
      StableAge: 1,
    };
    const configFile = join(dir, 'orthanc.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const child: ChildProcess = spawn(orthancBinary, [configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = { output: '' };
    child.stdout?.on('data', (c: Buffer) => (log.output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (log.output += c.toString()));
    const url = `http://127.0.0.1:${port}`;
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });

    // Ready when /system answers; a process that exits first fails with its log.
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Orthanc exited with ${child.exitCode}:\n${log.output}`);
      try {
        const r = await fetch(`${url}/system`, { headers: { authorization: probeAuthorization }, signal: AbortSignal.timeout(1000) });
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`Orthanc did not answer /system:\n${log.output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, log, stop };
  };
  const { url, log, stop } = await withFreePort(launch);

  return {
    url,
    ...auth,
    dicomWeb: dicomWebPlugin !== null,
    log: () => log.output,
    async upload(file) {
      const r = await fetch(`${url}/instances`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/dicom' },
        body: new Uint8Array(file),
      });
      const answer = (await r.json()) as { ParentStudy?: string; Status?: string };
      if (!r.ok || !answer.ParentStudy) throw new Error(`upload refused: HTTP ${r.status} ${JSON.stringify(answer)}`);
      return answer.ParentStudy;
    },
    stop,
  };
}
