/** Tasks already running, at most `limit` of them, settled in the order they were added. */
export interface InOrderQueue {
  /** Adds a running task; once `limit` are pending, waits for the oldest. Rejects with the oldest task's failure. */
  add(task: Promise<void>): Promise<void>;
  /** Waits for every task, oldest first; rejects with the first failure in that order. Either rejection empties the queue. */
  drain(): Promise<void>;
}

/**
 * A bound on work in flight whose failures come out in the order the work was given, so that
 * decoding frames in parallel reports the same (earliest) bad frame as decoding them one by one.
 */
export function createInOrderQueue(limit: number): InOrderQueue {
  const pending: Promise<void>[] = [];
  const add = async (task: Promise<void>): Promise<void> => {
    // Each rejection is seen by the await below, or dropped with the rest once an earlier one has thrown.
    task.catch(() => undefined);
    pending.push(task);
    await settle(Math.max(1, limit) - 1);
  };
  // Once one task has failed, those after it are dropped: a later failure must not hide the earlier one.
  const settle = async (leave: number): Promise<void> => {
    try {
      while (pending.length > leave) await pending.shift();
    } catch (error) {
      pending.length = 0;
      throw error;
    }
  };
  const drain = (): Promise<void> => settle(0);
  return { add, drain };
}
