import type { StorageRepository, ClaimObject } from './storage.repository';

const POLL_MS = 250;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/**
 * Reads the claim until `done` says so, the deadline passes or the signal fires; returns the
 * last copy read. Binding and resizing are asynchronous (the PV controller syncs, a resizer
 * acts), so an operation waits a few seconds and then answers with what it sees.
 */
export const waitForClaim = async (
  repo: StorageRepository, namespace: string, name: string, done: (c: ClaimObject) => boolean, waitMs: number, signal?: AbortSignal,
): Promise<ClaimObject | undefined> => {
  const deadline = Date.now() + waitMs;
  let claim = await repo.claim(namespace, name);
  while (claim && !done(claim) && Date.now() < deadline && !signal?.aborted) {
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), signal);
    claim = await repo.claim(namespace, name);
  }
  return claim;
};
