import { useState } from 'react';

/**
 * Keeps a screen from going back in time. Requests are stamped as they are sent; an answer is shown only when nothing
 * asked after it, nor anything pushed since, has been shown already: answers that cross on the way (two saves, a load
 * and a live event) leave the newest on screen, whatever order they arrive in.
 */
export interface Latest {
  /** Stamps a request now being sent; its answer is passed to `answer` with this stamp. */
  ask(): number;
  /** Whether the answer to the request stamped `asked` is still the newest; if so, it is now the one shown. */
  answer(asked: number): boolean;
  /** Something newer than every request sent so far is being shown (an event the core pushed): their answers lose. */
  push(): void;
}

/** The guard as a plain object, for code outside React (and for its tests). */
export function latestAnswers(): Latest {
  let sent = 0;
  let shown = 0;
  return {
    ask: () => ++sent,
    answer(asked) {
      if (asked <= shown) return false;
      shown = asked;
      return true;
    },
    push() {
      sent += 1;
      shown = sent;
    },
  };
}

/** One guard for the component's lifetime: the same object on every render. */
export function useLatest(): Latest {
  const [guard] = useState(latestAnswers);
  return guard;
}
