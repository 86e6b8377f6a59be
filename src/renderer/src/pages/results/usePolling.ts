import { useEffect } from 'react';

// Files dropped in the shared folder arrive without a live event: the lists also look again this often.
const POLL_MS = 3_000;

/** Reloads every few seconds while the page is shown. */
export function usePolling(reload: () => void): void {
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);
}
