/** Fetches a 4D series' time points and keeps the last few, so stepping back and forth and playing are smooth. */
export interface TimePointLoader<V> {
  /** Time point t's volume: kept, already under way, or fetched now (once, however often asked). */
  get(t: number): Promise<V>;
  /** Starts fetching t in the background; a failure is forgotten here and reported by the next get(t). */
  prefetch(t: number): void;
  /** Hands over a volume already loaded (the one shown), so it is not fetched again. */
  put(t: number, volume: V): void;
  /** The time points kept or under way, oldest first (for tests and the page's memory). */
  kept(): number[];
}

/**
 * A loader over `fetch` that keeps at most `keep` time points (the shown one, the next being
 * prefetched, and the one before: a 200-time-point series is never held whole in the page).
 */
export function createTimePointLoader<V>(fetch: (t: number) => Promise<V>, keep = 3): TimePointLoader<V> {
  const cache = new Map<number, Promise<V>>();
  const remember = (t: number, volume: Promise<V>): Promise<V> => {
    cache.delete(t);
    cache.set(t, volume);
    while (cache.size > keep) cache.delete(cache.keys().next().value!);
    return volume;
  };
  const start = (t: number): Promise<V> => {
    const volume = fetch(t);
    // A failed fetch is not kept: asking again tries again.
    volume.catch(() => {
      if (cache.get(t) === volume) cache.delete(t);
    });
    return remember(t, volume);
  };
  return {
    get: (t) => remember(t, cache.get(t) ?? start(t)),
    prefetch(t) {
      if (!cache.has(t)) start(t).catch(() => undefined);
    },
    put: (t, volume) => void remember(t, Promise.resolve(volume)),
    kept: () => [...cache.keys()],
  };
}
