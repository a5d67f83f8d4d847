/**
 * Polls `check` every 100 ms until it gives a value (not undefined or false) and returns it: a bound that only
 * catches a hang, never a timing assertion.
 * @throws Error naming `what` after `seconds`; whatever `check` throws.
 */
export async function waitFor<T>(what: string, seconds: number, check: () => T | undefined | false): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
