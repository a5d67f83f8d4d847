/**
 * A test aid loaded into the inference process ahead of its entry module (`node --import`, see
 * crashingChild in inferenceFixtures.ts), so that no crash hook lives in the product. On the first `segment`
 * request it ends the process the way AXIAL_TEST_CRASH says: `abort` aborts, `exit` exits with code 3, `oom`
 * allocates until V8's heap limit kills it (run with a small --max-old-space-size); `throw` lets the request start and
 * throws outside it 300 ms later (an uncaught exception). The tests check that the parent turns each into a clear error
 * instead of hanging.
 */
const crash = process.env.AXIAL_TEST_CRASH;

// Registered before the entry module's own listener, so this one runs first and the request never starts (but for `throw`).
process.on('message', (message: unknown) => {
  if ((message as { type?: unknown } | null)?.type !== 'segment') return;
  if (crash === 'throw') {
    setTimeout(() => {
      throw new Error('a failure outside any request');
    }, 300);
    return;
  }
  if (crash === 'abort') process.abort();
  if (crash === 'exit') process.exit(3);
  if (crash === 'oom') {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array<number>(1_000_000).fill(hoard.length + 0.5));
  }
});
