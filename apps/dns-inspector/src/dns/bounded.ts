/**
 * `fn` over `items` with at most `limit` in flight, results in input order: many DNS
 * questions at once must not flood the cluster DNS (CoreDNS' `max_concurrent`) or c-ares.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/** How many DNS questions one request may have in flight. */
export const DNS_CONCURRENCY = 8;
