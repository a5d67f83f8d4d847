import { describe, expect, it } from 'vitest';
import { createSweepGate } from '../../../../main/segmentation/onnx/createSweepGate.js';

/** Whether `promise` has settled once the turns queued before this call have run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('createSweepGate', () => {
  it('has room while fewer than the limit are out, and wakes every waiter when one is swept', async () => {
    const gate = createSweepGate(2);
    expect(await settled(gate.room())).toBe(true);
    gate.sent();
    expect(await settled(gate.room())).toBe(true);
    gate.sent();
    const first = gate.room();
    const second = gate.room();
    expect(await settled(first)).toBe(false);
    gate.swept();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(true);
    // full again once another is sent
    gate.sent();
    const third = gate.room();
    expect(await settled(third)).toBe(false);
    gate.swept();
    gate.swept();
    expect(await settled(third)).toBe(true);
  });

  it('lets every waiter through once open, and never waits again', async () => {
    const gate = createSweepGate(1);
    gate.sent();
    const waiting = gate.room();
    expect(await settled(waiting)).toBe(false);
    gate.open();
    expect(await settled(waiting)).toBe(true);
    gate.sent();
    gate.sent();
    expect(await settled(gate.room())).toBe(true);
  });
});
