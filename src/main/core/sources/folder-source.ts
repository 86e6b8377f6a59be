import { existsSync, mkdirSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { sha256Hex } from '../hash';
import type { Reason } from '../documents/texts';
import type { IncomingResult, IntakeOutcome, ResultsSink } from '../intake/incoming-result';
import type { FolderSourceSettings } from '../settings/results-settings';
import { defaultTitles, reviewReasons } from '../documents/results-texts';
import { compilePattern, mergeMetadata, parseFileName, parseSidecar, type FileMetadata } from './file-metadata';

// The shared-folder source: the lab saves approved PDFs into a folder (often an SMB share); each one is taken once it
// has stopped growing, handed to the intake, and moved to enviados/ or, with a motivo file, to errores/. Nothing is
// ever deleted: a person can always find the file the lab wrote.

export const SENT_DIR = 'enviados';
export const FAILED_DIR = 'errores';
const MOTIVO_SUFFIX = '.motivo.txt';

export interface FolderSourceOptions {
  /** A snapshot: to apply new settings, close this source and start another. */
  settings: FolderSourceSettings;
  sink: ResultsSink;
  /** Files handled at once; signing is CPU-bound, so more rarely helps. */
  concurrency?: number;
  /** The folder or a file could not be read or moved: for the log and the tray, never fatal. */
  onError?: (error: Error) => void;
  now?: () => number;
}

export interface FolderSource {
  /** Resolves once the initial scan is done (files already in the folder are queued by then). */
  ready: Promise<void>;
  /** Resolves when no file is waiting or being handled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function startFolderSource(o: FolderSourceOptions): FolderSource {
  const s = o.settings;
  const root = resolve(s.path);
  const now = o.now ?? Date.now;
  const pattern = compilePattern(s.pattern);
  const report = (error: unknown) => o.onError?.(error instanceof Error ? error : new Error(String(error)));
  if (!pattern.ok) report(new Error(`folder source: invalid file-name pattern "${s.pattern}": ${pattern.detail}`));

  const stableSidecars = new Set<string>();
  /** PDFs waiting for their sidecar, and sidecars waiting for their PDF. */
  const timers = new Map<string, NodeJS.Timeout>();
  const queued: string[] = [];
  const active = new Set<string>();
  let idleWaiters: (() => void)[] = [];
  let closed = false;
  const limit = Math.max(1, o.concurrency ?? 2);

  const settleIdle = () => {
    if (queued.length || active.size || timers.size) return;
    for (const resolveIdle of idleWaiters.splice(0)) resolveIdle();
  };

  const enqueue = (file: string) => {
    if (closed || active.has(file) || queued.includes(file)) return;
    clearTimer(file);
    queued.push(file);
    pump();
  };

  const pump = () => {
    while (!closed && active.size < limit && queued.length) {
      const file = queued.shift();
      if (!file) break;
      active.add(file);
      void handle(file)
        .catch(report)
        .finally(() => {
          active.delete(file);
          pump();
          settleIdle();
        });
    }
  };

  const wait = (file: string, then: () => void) => {
    if (timers.has(file)) return;
    timers.set(
      file,
      setTimeout(() => {
        timers.delete(file);
        then();
        settleIdle();
      }, s.sidecarWaitMs),
    );
  };

  const clearTimer = (file: string) => {
    const timer = timers.get(file);
    if (timer) clearTimeout(timer);
    timers.delete(file);
  };

  /** A file has stopped changing: decide whether it can go now or must wait for its other half. */
  const onStable = (path: string) => {
    const file = resolve(path);
    if (closed || dirname(file) !== root || ignoredName(basename(file))) return;
    if (isSidecar(file)) {
      stableSidecars.add(file);
      const pdf = documentOf(root, file);
      // A PDF waiting for this goes now; one still being written finds this sidecar when its own turn comes.
      if (pdf && timers.has(pdf)) enqueue(pdf);
      else if (!pdf) wait(file, () => orphanSidecar(file));
      return;
    }
    const sidecar = sidecarOf(root, file);
    if (sidecar) {
      if (stableSidecars.has(sidecar)) enqueue(file);
      else wait(file, () => enqueue(file));
      return;
    }
    if (pattern.ok && pattern.regex.test(basename(file))) enqueue(file);
    else if (s.sidecarWaitMs === 0) enqueue(file);
    else wait(file, () => enqueue(file));
  };

  const orphanSidecar = (file: string) => {
    if (!existsSync(file)) return;
    const pdf = documentOf(root, file);
    if (pdf) return; // the PDF appeared meanwhile: its own event takes both
    stableSidecars.delete(file);
    try {
      const dest = moveInto(root, FAILED_DIR, file);
      writeMotivo(dest, sidecarWithoutPdf(basename(file)), now());
    } catch (error) {
      report(error);
    }
  };

  const handle = async (file: string): Promise<void> => {
    const name = basename(file);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // taken away before its turn
      throw error;
    }
    const sidecar = sidecarOf(root, file);
    let outcome: IntakeOutcome;
    try {
      const sidecarText = sidecar ? await readFile(sidecar, 'utf8') : null;
      outcome = await o.sink.receive(recordOf(name, bytes, sidecar ? basename(sidecar) : null, sidecarText));
    } catch (error) {
      // The intake itself failed (the database, the disk): the file must not sit here unexplained.
      report(error);
      settle(root, file, sidecar, { failed: true, reason: reviewReasons.internal(message(error)), at: now() });
      return;
    }
    const failed = outcome.state === 'review';
    const dest = settle(root, file, sidecar, { failed, reason: outcome.reason, at: now() });
    if (dest) o.sink.noteSourceFile(outcome.intakeId, dest);
  };

  const settle = (
    dir: string,
    file: string,
    sidecar: string | null,
    how: { failed: boolean; reason: Reason | undefined; at: number },
  ): string | null => {
    if (sidecar) stableSidecars.delete(sidecar);
    for (const path of [file, sidecar]) {
      if (path && explicit.delete(path)) void watcher.unwatch(path);
    }
    try {
      const dest = moveInto(dir, how.failed ? FAILED_DIR : SENT_DIR, file);
      if (sidecar && existsSync(sidecar)) moveInto(dir, how.failed ? FAILED_DIR : SENT_DIR, sidecar, basename(dest));
      if (how.failed) writeMotivo(dest, how.reason ?? reviewReasons.internal('sin motivo'), how.at);
      return dest;
    } catch (error) {
      report(error);
      return null;
    }
  };

  const recordOf = (
    name: string,
    bytes: Buffer,
    sidecarName: string | null,
    sidecarText: string | null,
  ): IncomingResult => {
    let problem: IncomingResult['problem'];
    let fromSidecar: FileMetadata | null = null;
    if (sidecarName && sidecarText !== null) {
      const parsed = parseSidecar(sidecarText);
      if (parsed.ok) fromSidecar = parsed.meta;
      else problem = { code: 'bad_sidecar', reason: reviewReasons.bad_sidecar(sidecarName, parsed.detail) };
    }
    const meta = mergeMetadata(parseFileName(name, pattern), fromSidecar);
    if (!problem && extname(name).toLowerCase() !== '.pdf') problem = { code: 'not_pdf', reason: reviewReasons.not_pdf(name) };
    if (!problem && !meta) problem = { code: 'no_metadata', reason: reviewReasons.no_metadata(name, s.pattern) };
    if (!problem && meta?.unknownKind) problem = { code: 'unknown_kind', reason: reviewReasons.unknown_kind(meta.unknownKind) };
    const kind = meta?.kind ?? 'result';
    return {
      source: 'folder',
      // The content decides identity, not the name: a re-copied file is the same result, a corrected one a new result.
      sourceKey: `folder:${sha256Hex(bytes)}:${kind}`,
      kind,
      title: meta?.title ?? defaultTitles[kind],
      pdf: bytes,
      originalName: name,
      patient: meta?.patient ?? {},
      accessionNumber: meta?.accessionNumber ?? null,
      studyUid: meta?.studyUid ?? null,
      approvedBy: meta?.approvedBy ?? null,
      approvedAt: meta?.approvedAt ?? null,
      ...(problem ? { problem } : {}),
    };
  };

  const watcher: FSWatcher = watch(root, {
    depth: 0,
    ignoreInitial: false,
    usePolling: s.usePolling,
    interval: s.pollIntervalMs,
    binaryInterval: s.pollIntervalMs,
    ignorePermissionErrors: true,
    // Taken only once the size has stopped changing: a PDF still being copied over the network is not half-read.
    awaitWriteFinish: { stabilityThreshold: s.stabilityMs, pollInterval: Math.max(25, Math.min(500, s.stabilityMs / 4)) },
    ignored: (path) => {
      const file = resolve(path);
      if (file === root) return false;
      const name = basename(file);
      return (dirname(file) === root && (name === SENT_DIR || name === FAILED_DIR)) || ignoredName(name);
    },
  });
  watcher.on('add', onStable);
  watcher.on('change', onStable);
  watcher.on('unlink', (path) => {
    const file = resolve(path);
    stableSidecars.delete(file);
    clearTimer(file);
    settleIdle();
  });
  watcher.on('error', report);

  // Safety net: a polled directory's baseline is taken just after the first scan, so a file landing in between is
  // seen only when something else changes in the folder. Now and then, files on disk that the watcher does not know
  // are handed to it (and go through the same wait for a stable size).
  const reconcile = () => {
    if (closed) return;
    const known = new Set(watcher.getWatched()[root] ?? []);
    for (const name of listNames(root)) {
      if (known.has(name) || ignoredName(name) || name === SENT_DIR || name === FAILED_DIR) continue;
      explicit.add(join(root, name));
      watcher.add(join(root, name));
    }
  };
  /** Files handed over one by one; unwatched once moved, so the watcher does not keep polling a path that left. */
  const explicit = new Set<string>();
  const reconcileTimer = setInterval(reconcile, Math.max(1000, 10 * s.pollIntervalMs));
  reconcileTimer.unref();
  const ready = new Promise<void>((done) =>
    watcher.once('ready', () => {
      setTimeout(reconcile, 2 * s.pollIntervalMs + 100).unref();
      done();
    }),
  );

  return {
    ready,
    idle: () =>
      new Promise<void>((done) => {
        idleWaiters.push(done);
        settleIdle();
      }),
    async close() {
      closed = true;
      clearInterval(reconcileTimer);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      queued.length = 0;
      await watcher.close();
      // Files being handled finish (their intake is already under way); queued ones wait for the next start.
      while (active.size) await new Promise((r) => setTimeout(r, 20));
      for (const resolveIdle of idleWaiters.splice(0)) resolveIdle();
      idleWaiters = [];
    },
  };
}

/**
 * A file in errores/ whose item went through after a person fixed it: it joins enviados/, and its motivo file (Avisa's
 * own, not the lab's) is removed. Returns the new path, or null when the file is not in an errores/ folder.
 */
export function moveResolvedFile(sourceFile: string | null): string | null {
  if (!sourceFile || basename(dirname(sourceFile)) !== FAILED_DIR || !existsSync(sourceFile)) return null;
  const root = dirname(dirname(sourceFile));
  const dest = moveInto(root, SENT_DIR, sourceFile);
  const motivo = `${sourceFile}${MOTIVO_SUFFIX}`;
  if (existsSync(motivo)) unlinkSync(motivo);
  for (const sidecar of sidecarCandidates(sourceFile)) {
    if (existsSync(sidecar)) moveInto(root, SENT_DIR, sidecar, basename(dest));
  }
  return dest;
}

/** Files that are not documents: temporary copies, Office locks, Windows' and macOS' own files, our motivos. */
function ignoredName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower.startsWith('.') ||
    lower.startsWith('~$') ||
    lower === 'thumbs.db' ||
    lower === 'desktop.ini' ||
    lower.endsWith(MOTIVO_SUFFIX) ||
    /\.(tmp|temp|part|partial|crdownload|download|swp|lock)$/.test(lower)
  );
}

function isSidecar(file: string): boolean {
  return extname(file).toLowerCase() === '.json';
}

/** `informe.pdf.json` or `informe.json`, whichever exists. */
function sidecarOf(root: string, file: string): string | null {
  const names = new Set(sidecarCandidates(file).map((c) => basename(c).toLowerCase()));
  const found = listNames(root).find((n) => names.has(n.toLowerCase()));
  return found ? join(root, found) : null;
}

function sidecarCandidates(file: string): string[] {
  const base = file.slice(0, file.length - extname(file).length);
  return [`${file}.json`, `${base}.json`];
}

/** The document a sidecar belongs to: `x.pdf.json` → `x.pdf`; `x.json` → `x.<any extension but json>`. */
function documentOf(root: string, sidecar: string): string | null {
  const stem = basename(sidecar).slice(0, -'.json'.length).toLowerCase();
  const names = listNames(root).filter((n) => !isSidecar(n) && !ignoredName(n));
  const found =
    names.find((n) => n.toLowerCase() === stem) ??
    names.find((n) => n.slice(0, n.length - extname(n).length).toLowerCase() === stem && extname(n) !== '');
  return found ? join(root, found) : null;
}

function listNames(root: string): string[] {
  try {
    return readdirSync(root);
  } catch {
    return [];
  }
}

/**
 * Moves a file into root/<folder>/ under a name not taken yet ("x.pdf", then "x (2).pdf"), so a re-copied file never
 * overwrites the one moved before. `beside` names a sidecar after its moved PDF.
 */
function moveInto(root: string, folder: string, file: string, beside?: string): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  const wanted = beside ? sidecarNameFor(beside, basename(file)) : basename(file);
  const dest = freeName(dir, wanted);
  renameSync(file, dest);
  return dest;
}

function sidecarNameFor(documentName: string, sidecarName: string): string {
  // Keep the lab's convention: "x.pdf.json" stays "<doc>.json" after the doc's name; "x.json" stays "<stem>.json".
  const docStem = documentName.slice(0, documentName.length - extname(documentName).length);
  return /\.[^.]+\.json$/i.test(sidecarName) ? `${documentName}.json` : `${docStem}.json`;
}

function freeName(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = join(dir, name);
  for (let n = 2; existsSync(candidate); n += 1) candidate = join(dir, `${stem} (${n})${ext}`);
  return candidate;
}

function writeMotivo(dest: string, reason: Reason, at: number): void {
  const lines = [
    reason.es,
    '',
    `Archivo: ${basename(dest)}`,
    `Fecha: ${new Date(at).toISOString()}`,
    'Corrija el problema en Avisa (Resultados → Por revisar) o vuelva a copiar el archivo corregido en la carpeta.',
    '',
  ];
  writeFileSync(`${dest}${MOTIVO_SUFFIX}`, lines.join('\n'), 'utf8');
}

function sidecarWithoutPdf(name: string): Reason {
  return {
    es: `No se encontró el PDF del archivo de datos «${name}». Si el PDF ya fue procesado, los datos llegaron tarde: copie ambos archivos juntos (primero el .json).`,
    en: `The PDF of the data file "${name}" was not found. If the PDF was already processed, the data came too late: copy both files together (the .json first).`,
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
