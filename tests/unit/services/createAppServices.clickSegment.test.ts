import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeHeader } from '../../../core/contract.js';
import { makeDeepEditPhantoms, organDice, type DeepEditPhantom } from '../segmentation/interactive/deepeditPhantomCases.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-click-segment-'));

describe('createAppServices: click-to-segment through the inference process', () => {
  let h: Harness;
  let phantom: DeepEditPhantom;
  let volume: VolumeHeader;

  beforeAll(async () => {
    h = createHarness();
    phantom = (await makeDeepEditPhantoms(scratch, [60310]))[0]!;
    h.answerNextOpen(phantom.path);
    const scan = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
    volume = valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
  }, 60_000);
  afterAll(async () => {
    await h.services.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const run = async (args: { model: 'demo' | 'demo-interactive'; points: { kind: 'fg' | 'bg'; world: [number, number, number] }[] }) => {
    const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: volume.volumeId, device: 'cpu', roi: 'clicks', ...args }));
    return (await h.waitFor('segmentation:done', (e) => e.jobId === jobId)).result;
  };

  it('segments the organ from one click at its centre, on the scan grid, as an AUTOMATIC segment of the demo DeepEdit model', async () => {
    const result = await run({ model: 'demo-interactive', points: [{ kind: 'fg', world: [...phantom.organCentre] }] });
    const mask = valueOf(result);
    expect(mask.segments.map((s) => [s.value, s.name, s.algorithmType])).toEqual([[1, 'organ', 'AUTOMATIC']]);
    const labels = h.services.getData('mask', `${mask.maskId}:0`)!;
    expect(labels.length).toBe(phantom.truth.length);
    const dice = organDice(phantom.truth, labels);
    console.log(`click-to-segment through the services, one click: Dice ${dice.toFixed(3)}, ${mask.seconds.toFixed(2)} s`);
    expect(dice).toBeGreaterThan(0.85);
  }, 60_000);

  it('refuses clicks outside the scan and clicks to a model that takes none, in words, and keeps working', async () => {
    const outside = await run({ model: 'demo-interactive', points: [{ kind: 'fg', world: [10000, 0, 0] }] });
    expect(outside).toMatchObject({
      ok: false,
      error: { code: 'CLICK_INVALID', message: expect.stringMatching(/click 1 .* is outside the scan/) as unknown },
    });
    const notInteractive = await run({ model: 'demo', points: [{ kind: 'fg', world: [...phantom.organCentre] }] });
    expect(notInteractive).toMatchObject({ ok: false, error: { code: 'MODEL_UNSUPPORTED' } });
    expect(valueOf(await run({ model: 'demo-interactive', points: [{ kind: 'fg', world: [...phantom.organCentre] }] })).segments).toHaveLength(1);
  }, 90_000);

  it('rejects malformed points at the contract before anything runs', async () => {
    const bad = await h.services.invoke('segmentation:run', {
      volumeId: volume.volumeId,
      model: 'demo-interactive',
      device: 'cpu',
      points: [{ kind: 'fg', world: [0, Number.NaN, 0] }],
    } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_ARGUMENTS' } });
  });
});
