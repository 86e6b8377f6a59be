import { z } from 'zod';

// Finding an imaging study's StudyInstanceUID from its accession number in an Orthanc PACS, through its REST API:
// POST /tools/find at the study level, then GET /studies/{id} for its main DICOM tags.

export interface OrthancOptions {
  /** e.g. http://pacs.local:8042 */
  url: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
}

export type StudyLookup =
  | { ok: true; studyUid: string }
  | { ok: false; code: 'not_found' | 'ambiguous' | 'unreachable' | 'bad_response'; detail: string };

const findAnswer = z.array(z.string());
const studyAnswer = z.object({ MainDicomTags: z.object({ StudyInstanceUID: z.string().min(1) }) });

export async function findStudyUid(accessionNumber: string, o: OrthancOptions): Promise<StudyLookup> {
  const accession = accessionNumber.trim();
  // Orthanc reads * and ? as wildcards: a lookup must match one study exactly or not at all.
  if (!accession || /[*?\\]/.test(accession)) return { ok: false, code: 'not_found', detail: 'no usable accession number' };
  const base = o.url.replace(/\/+$/, '');
  const found = await call(base, '/tools/find', o, {
    method: 'POST',
    body: JSON.stringify({ Level: 'Study', Query: { AccessionNumber: accession } }),
  });
  if (!found.ok) return found;
  const ids = findAnswer.safeParse(found.json);
  if (!ids.success) return { ok: false, code: 'bad_response', detail: '/tools/find did not answer a list of ids' };
  const [id, other] = ids.data;
  if (!id) return { ok: false, code: 'not_found', detail: `no study with accession number ${accession}` };
  // Two studies under one accession number: a link to either could show the wrong patient's images.
  if (other) return { ok: false, code: 'ambiguous', detail: `${ids.data.length} studies with accession number ${accession}` };
  const study = await call(base, `/studies/${encodeURIComponent(id)}`, o, { method: 'GET' });
  if (!study.ok) return study;
  const parsed = studyAnswer.safeParse(study.json);
  if (!parsed.success) return { ok: false, code: 'bad_response', detail: `study ${id} has no StudyInstanceUID` };
  return { ok: true, studyUid: parsed.data.MainDicomTags.StudyInstanceUID };
}

/** For the document pipeline: the UID or null, whatever went wrong (a result never waits for the PACS). */
export function orthancLookup(options: () => OrthancOptions | null): (accession: string) => Promise<string | null> {
  return async (accession) => {
    const o = options();
    if (!o || !o.url.trim()) return null;
    const found = await findStudyUid(accession, o);
    return found.ok ? found.studyUid : null;
  };
}

type Answer = { ok: true; json: unknown } | Extract<StudyLookup, { ok: false }>;

async function call(base: string, path: string, o: OrthancOptions, init: { method: string; body?: string }): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body) headers['content-type'] = 'application/json';
  if (o.username) headers.authorization = `Basic ${Buffer.from(`${o.username}:${o.password ?? ''}`).toString('base64')}`;
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(o.timeoutMs ?? 5000) });
  } catch (error) {
    return { ok: false, code: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
  }
  if (!response.ok) {
    const code = response.status === 404 ? 'not_found' : response.status === 401 ? 'unreachable' : 'bad_response';
    return { ok: false, code, detail: `${init.method} ${path}: HTTP ${response.status}` };
  }
  try {
    return { ok: true, json: await response.json() };
  } catch {
    return { ok: false, code: 'bad_response', detail: `${init.method} ${path}: not JSON` };
  }
}
