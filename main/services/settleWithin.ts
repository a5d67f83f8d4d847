/**
 * Waits for `promise` to settle, either way, for at most `ms`: true when it did, false when the time ran out first.
 * The timer keeps no process alive.
 */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((done) => {
    timer = setTimeout(() => done(false), ms).unref();
  });
  try {
    return await Promise.race([promise.then(settled, settled), late]);
  } finally {
    clearTimeout(timer);
  }
}

const settled = (): true => true;
