import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findStudyUid, orthancLookup } from '../../src/main/core/sources/orthanc';

// A tiny HTTP server shaped like Orthanc's REST API: POST /tools/find and GET /studies/{id}.

interface FakeStudy {
  id: string;
  accession: string;
  uid: string;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function fakeOrthanc(studies: FakeStudy[], auth?: string): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (auth && req.headers.authorization !== `Basic ${Buffer.from(auth).toString('base64')}`) return json(401, {});
      if (req.method === 'POST' && req.url === '/tools/find') {
        const query = JSON.parse(body) as { Level: string; Query: { AccessionNumber: string } };
        if (query.Level !== 'Study') return json(400, {});
        return json(200, studies.filter((s) => s.accession === query.Query.AccessionNumber).map((s) => s.id));
      }
      const match = /^\/studies\/([^/]+)$/.exec(req.url ?? '');
      const study = studies.find((s) => s.id === match?.[1]);
      if (req.method === 'GET' && study) {
        return json(200, { ID: study.id, MainDicomTags: { AccessionNumber: study.accession, StudyInstanceUID: study.uid } });
      }
      return json(404, {});
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const studies: FakeStudy[] = [
  { id: '6b9e19d9-62094390-5f9ddb01-4a191ae7-9766b715', accession: 'ACC-77', uid: '1.2.840.113619.2.55.3.77' },
  { id: 'aa-1', accession: 'DUP', uid: '1.2.3.1' },
  { id: 'aa-2', accession: 'DUP', uid: '1.2.3.2' },
];

describe('Orthanc lookup', () => {
  it('finds the StudyInstanceUID of an accession number', async () => {
    const pacs = await fakeOrthanc(studies, 'avisa:secreto');
    expect(await findStudyUid('ACC-77', { url: `${pacs.url}/`, username: 'avisa', password: 'secreto' })).toEqual({
      ok: true,
      studyUid: '1.2.840.113619.2.55.3.77',
    });
    expect(pacs.requests).toEqual(['POST /tools/find', `GET /studies/${studies[0]?.id}`]);
  });

  it('says why it found nothing', async () => {
    const pacs = await fakeOrthanc(studies, 'avisa:secreto');
    const o = { url: pacs.url, username: 'avisa', password: 'secreto' };
    expect(await findStudyUid('NOPE', o)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await findStudyUid('DUP', o)).toMatchObject({ ok: false, code: 'ambiguous' });
    expect(await findStudyUid('ACC*', o)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await findStudyUid('ACC-77', { url: pacs.url })).toMatchObject({ ok: false, code: 'unreachable' });
    expect(await findStudyUid('ACC-77', { url: 'http://127.0.0.1:1', timeoutMs: 500 })).toMatchObject({
      ok: false,
      code: 'unreachable',
    });
  });

  it('gives the pipeline a UID or null, never an error', async () => {
    const pacs = await fakeOrthanc(studies);
    expect(await orthancLookup(() => ({ url: pacs.url }))('ACC-77')).toBe('1.2.840.113619.2.55.3.77');
    expect(await orthancLookup(() => ({ url: pacs.url }))('NOPE')).toBeNull();
    expect(await orthancLookup(() => null)('ACC-77')).toBeNull();
  });
});
