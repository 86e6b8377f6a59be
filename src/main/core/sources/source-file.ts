import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

// A source (the clinic's database, a query anyone with the settings screen can write) names a file by path, and Avisa
// would copy it and show it. Only PDFs under the folders the administrator configured are read: the path is resolved
// with every symlink followed, then checked, so `../`, an absolute path or a link cannot reach Avisa's own key file,
// an SSH key or another patient's folder.

export interface SourceFileRules {
  /** The folders the source's files must be in. None configured: no path is read at all. */
  roots: string[];
  /** Never read from these, even under a root that contains them (Avisa's data folder). */
  protectedDirs: string[];
}

export type SourceFileRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; code: 'not_pdf' | 'unreadable'; es: string; en: string; detail: string };

/** Most a source file may weigh: bigger than any result PDF, small enough to bound memory. */
const MAX_BYTES = 50 * 1024 * 1024;

/** A source's file, read under `rules`; the same with the path and its roots as a record carries them. */
export function sourceFileReader(protectedDirs: string[]) {
  return (file: { path: string; roots: string[] }): Promise<SourceFileRead> =>
    readSourcePdf(file.path, { roots: file.roots, protectedDirs });
}

export async function readSourcePdf(path: string, rules: SourceFileRules): Promise<SourceFileRead> {
  if (rules.roots.length === 0) return refused('no_root', path);
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    return unreadable(path, error);
  }
  const roots = await Promise.all(rules.roots.map((r) => realpath(r).catch(() => resolve(r))));
  const guarded = await Promise.all(rules.protectedDirs.map((d) => realpath(d).catch(() => resolve(d))));
  if (!roots.some((root) => isInside(real, root)) || guarded.some((dir) => isInside(real, dir))) {
    return refused('outside', path);
  }
  if (!real.toLowerCase().endsWith('.pdf')) return refused('not_pdf', path);
  try {
    // O_NOFOLLOW: a link swapped in after the check is not followed.
    const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      const stat = await handle.stat();
      if (!stat.isFile() || stat.size > MAX_BYTES) return refused('not_pdf', path);
      const bytes = await handle.readFile();
      if (bytes.subarray(0, 1024).indexOf('%PDF-') < 0) return refused('not_pdf', path);
      return { ok: true, bytes };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return unreadable(path, error);
  }
}

export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function refused(why: 'no_root' | 'outside' | 'not_pdf', path: string): SourceFileRead {
  if (why === 'not_pdf') {
    return {
      ok: false,
      code: 'not_pdf',
      es: `El archivo «${path}» no es un PDF: solo se leen documentos PDF.`,
      en: `The file "${path}" is not a PDF: only PDF documents are read.`,
      detail: 'not a PDF',
    };
  }
  return {
    ok: false,
    code: 'unreadable',
    es:
      why === 'no_root'
        ? `No se lee «${path}»: configure en Ajustes → Fuentes la carpeta de archivos de esta fuente.`
        : `No se lee «${path}»: está fuera de la carpeta de archivos configurada para esta fuente.`,
    en:
      why === 'no_root'
        ? `"${path}" is not read: set this source's file folder in Settings → Sources.`
        : `"${path}" is not read: it is outside the file folder configured for this source.`,
    detail: why === 'no_root' ? 'no file folder configured' : 'outside the configured folders',
  };
}

function unreadable(path: string, error: unknown): SourceFileRead {
  const detail = error instanceof Error ? error.message : String(error);
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
    // The usual case (the lab has not copied it yet, or named it otherwise): said in words, the system's text kept apart.
    return {
      ok: false,
      code: 'unreadable',
      es: `No se encuentra el archivo «${path}»: revise que el laboratorio lo haya copiado con ese nombre en la carpeta de archivos de esta fuente.`,
      en: `The file "${path}" is not there: check that the lab copied it, with that name, into this source's file folder.`,
      detail,
    };
  }
  return {
    ok: false,
    code: 'unreadable',
    es: `No se pudo leer el archivo «${path}» (${detail}).`,
    en: `The file "${path}" could not be read (${detail}).`,
    detail,
  };
}
