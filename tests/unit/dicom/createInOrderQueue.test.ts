import { describe, expect, it } from 'vitest';
import { createInOrderQueue } from '../../../main/dicom/createInOrderQueue.js';

/** A task and the hands that settle it. */
function deferred(): { task: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const task = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { task, resolve, reject };
}

describe('createInOrderQueue', () => {
  it('holds at most limit tasks: add waits for the oldest once limit are pending', async () => {
    const queue = createInOrderQueue(2);
    const [a, b] = [deferred(), deferred()];
    await queue.add(a.task);
    let added = false;
    const adding = queue.add(b.task).then(() => (added = true));
    await Promise.resolve();
    expect(added).toBe(false);
    a.resolve();
    await adding;
    expect(added).toBe(true);
    b.resolve();
    await queue.drain();
  });

  it('reports the earliest failure, even when a later task failed first, and drops the rest', async () => {
    const queue = createInOrderQueue(3);
    const [a, b, c] = [deferred(), deferred(), deferred()];
    await queue.add(a.task);
    await queue.add(b.task);
    c.reject(new Error('third'));
    b.reject(new Error('second'));
    a.resolve();
    await expect(queue.add(c.task)).resolves.toBeUndefined();
    await expect(queue.drain()).rejects.toThrow('second');
    await expect(queue.drain()).resolves.toBeUndefined();
  });

  it('leaves no unhandled rejection for tasks dropped after a failure', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const queue = createInOrderQueue(1);
      await expect(queue.add(Promise.reject(new Error('first')))).rejects.toThrow('first');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
