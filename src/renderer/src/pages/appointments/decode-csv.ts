/**
 * The text of a CSV file as Excel saves it:
 * - "CSV UTF-8": UTF-8 with a BOM;
 * - "CSV (delimitado por punto y coma)" in Spanish locales: Windows-1252, so "Cardiología" must not become
 *   "Cardiolog�a";
 * - "Texto Unicode": UTF-16 little-endian with a BOM (and tabs between columns).
 * UTF-16 is told by its BOM, or without one by the NUL bytes ASCII letters leave in every other byte.
 */
export function decodeCsv(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  if (view[0] === 0xff && view[1] === 0xfe) return new TextDecoder('utf-16le').decode(view.subarray(2));
  if (view[0] === 0xfe && view[1] === 0xff) return new TextDecoder('utf-16be').decode(view.subarray(2));
  const utf16 = utf16WithoutBom(view);
  if (utf16) return new TextDecoder(utf16).decode(view);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(view);
  } catch {
    return new TextDecoder('windows-1252').decode(view);
  }
}

function utf16WithoutBom(view: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const sample = view.subarray(0, Math.min(view.length, 512) & ~1);
  if (sample.length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = sample.length / 2;
  if (oddZeros > pairs * 0.4 && evenZeros === 0) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros === 0) return 'utf-16be';
  return null;
}
