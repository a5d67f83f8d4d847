import { describe, expect, it } from 'vitest';
import { createTimePointLoader } from '../../../../renderer/time/createTimePointLoader.js';

/** A fetch that records what it was asked and answers when told to. */
function recordingFetch() {
  const asked: number[] = [];
  const pending = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
  const fetch = (t: number): Promise<string> =>
    new Promise((resolve, reject) => {
      asked.push(t);
      pending.set(t, { resolve, reject });
    });
  return { asked, fetch, answer: (t: number) => pending.get(t)!.resolve(`volume ${t}`), fail: (t: number) => pending.get(t)!.reject(new Error(`gone ${t}`)) };
}

describe('createTimePointLoader', () => {
  it('fetches a time point once however often it is asked, and a prefetched one is not fetched again', async () => {
    const { asked, fetch, answer } = recordingFetch();
    const loader = createTimePointLoader(fetch);
    loader.prefetch(1);
    const a = loader.get(1);
    const b = loader.get(1);
    answer(1);
    expect(await a).toBe('volume 1');
    expect(await b).toBe('volume 1');
    expect(asked).toEqual([1]);
  });

  it('keeps at most 3 time points, dropping the one used longest ago; the shown one handed over is not fetched', async () => {
    const { asked, fetch, answer } = recordingFetch();
    const loader = createTimePointLoader(fetch, 3);
    loader.put(0, 'shown 0');
    expect(await loader.get(0)).toBe('shown 0');
    for (const t of [1, 2, 3]) {
      const got = loader.get(t);
      answer(t);
      await got;
    }
    expect(loader.kept()).toEqual([1, 2, 3]);
    void loader.get(1); // used again: now the newest
    loader.prefetch(4);
    expect(loader.kept()).toEqual([3, 1, 4]);
    expect(asked).toEqual([1, 2, 3, 4]);
  });

  it('forgets a failed fetch, so asking again tries again', async () => {
    const { asked, fetch, fail, answer } = recordingFetch();
    const loader = createTimePointLoader(fetch);
    const first = loader.get(5);
    fail(5);
    await expect(first).rejects.toThrow('gone 5');
    expect(loader.kept()).toEqual([]);
    const again = loader.get(5);
    answer(5);
    expect(await again).toBe('volume 5');
    expect(asked).toEqual([5, 5]);
  });
});
