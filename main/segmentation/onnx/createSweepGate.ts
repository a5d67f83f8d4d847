/** Outputs handed to the leaders sweep that it has not let go of yet, and a wait for room among them. */
export interface SweepGate {
  /** Resolves once fewer than `limit` outputs are out. */
  room(): Promise<void>;
  sent(): void;
  /** The sweep has let go of one. */
  swept(): void;
  /** No more waiting, now or later: the sweep is gone, or the runs are stopping. */
  open(): void;
}

/**
 * The network's thread waits at `room()` before each run it sends to the sweep: with a limit of 2, one output is swept
 * while the next is made, and no more are alive however far ahead the caller asks (371 MB each at 105 classes).
 */
export function createSweepGate(limit: number): SweepGate {
  let out = 0;
  let open = false;
  let waiting: (() => void)[] = [];
  const wake = (): void => {
    const woken = waiting;
    waiting = [];
    woken.forEach((resolve) => resolve());
  };
  return {
    async room() {
      while (out >= limit && !open) await new Promise<void>((resolve) => waiting.push(resolve));
    },
    sent() {
      out++;
    },
    swept() {
      out--;
      wake();
    },
    open() {
      open = true;
      wake();
    },
  };
}
