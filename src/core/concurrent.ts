// Async work over many items with a bound on how much is in flight at once.

/**
 * Calls fn for every item, at most `limit` calls in flight at a time, and resolves to the results in the items'
 * order. For work whose every start costs the event loop something (a gRPC channel per agent): started all at once,
 * thousands of them keep it from answering anything else until they are done. fn should settle its own failures;
 * a rejection rejects the whole (calls already running finish unobserved, no new ones start).
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`mapConcurrent: limit must be an integer ≥ 1, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
