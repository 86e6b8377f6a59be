/** A note on screen (a toast). */
export interface Toast {
  id: number;
  kind: 'ok' | 'warn' | 'error';
  text: string;
  /** What the note is about (a form's save, the channel): a later note on the same topic replaces it. */
  topic?: string;
  /** The way to the fix ("Ir a Ajustes"), when there is one. */
  action?: NoteAction;
}

export interface NoteAction {
  label: string;
  run: () => void;
}

const ERRORS_KEPT = 2;

/**
 * The notes left once `next` arrives: older ones on its topic go (a fix's success replaces the error before it), so
 * does any earlier success or warning; other errors stay, the last few, so nobody misses why something did not happen.
 */
export function afterNote(list: Toast[], next: Toast): Toast[] {
  const kept = list.filter((toast) => toast.kind === 'error' && (next.topic === undefined || toast.topic !== next.topic));
  return [...kept.slice(-ERRORS_KEPT), next];
}
