import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { shareV8FlagLock, withV8Flag } from '../../../main/dicom/codecs/withV8Flag.js';

describe('withV8Flag', () => {
  it('sets the flag for its task only', async () => {
    expect(await withV8Flag('--expose-gc', () => runInNewContext('typeof gc'))).toBe('function');
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it('waits its turn while another thread holds the lock, and frees the lock after', async () => {
    const lock = new Int32Array(new SharedArrayBuffer(4));
    shareV8FlagLock(lock);
    try {
      Atomics.store(lock, 0, 1);
      // Another thread's turn ends 100 ms from now.
      setTimeout(() => Atomics.store(lock, 0, 0), 100).unref();
      const started = Date.now();
      const seen = await withV8Flag('--expose-gc', () => runInNewContext('typeof gc'));
      // The timer cannot fire while this thread waits, so it went ahead after the 2 s limit, not in a hang.
      expect(seen).toBe('function');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(Atomics.load(lock, 0)).toBe(1);
      // Its own turn: the lock is taken and given back.
      Atomics.store(lock, 0, 0);
      await withV8Flag('--expose-gc', () => expect(Atomics.load(lock, 0)).toBe(1));
      expect(Atomics.load(lock, 0)).toBe(0);
    } finally {
      shareV8FlagLock(new Int32Array(new SharedArrayBuffer(4)));
    }
  });
});
