import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentDef, VolumeHeader } from '../../../../core/contract.js';
import { labelColour } from '../../../../core/labels/labelColour.js';
import { writeNifti } from '../../../../main/nifti/writeNifti.js';
import { createVolume } from '../../../../main/volume/Volume.js';
import { labelColours } from '../../../../renderer/display/labelColours.js';
import { newSegmentDef } from '../../../../renderer/segmentation/newSegmentDef.js';
import { makeDemoPhantom, type DemoPhantom } from '../../../phantoms/makeDemoPhantom.js';
import { createHarness, valueOf, type Harness } from '../../services/appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-palette-'));
const colourOf = (segments: readonly SegmentDef[], value: number): readonly number[] | undefined => segments.find((s) => s.value === value)?.colour;

/**
 * One palette on both sides of the process boundary: label 2 of a model's
 * result, label 2 of a label file without a colour table, a hand-added
 * segment that gets value 2 in the renderer and an unnamed label 2 in the
 * views' colour table are one colour.
 */
describe('labelColour: one colour per label value everywhere', () => {
  let h: Harness;
  let phantom: DemoPhantom;
  let volume: VolumeHeader;

  beforeAll(async () => {
    h = createHarness();
    phantom = makeDemoPhantom(3, {
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      spacing: [1.5, 1.5, 2],
    });
    const imagePath = join(scratch, 'phantom.nii.gz');
    await writeNifti(phantom.image, imagePath);
    h.answerNextOpen(imagePath);
    const scan = valueOf(await h.services.invoke('volume:open', { source: 'file' }))!;
    volume = valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
  });
  afterAll(async () => {
    await h.services.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('gives label 1 and label 2 the same colour from a model result, a label file and a hand-added segment', async () => {
    const { jobId } = valueOf(await h.services.invoke('segmentation:run', { volumeId: volume.volumeId, model: 'demo', device: 'cpu' }));
    const done = await h.waitFor('segmentation:done', (e) => e.jobId === jobId);
    const model = valueOf(done.result).segments;

    const labelPath = join(scratch, 'truth.nii.gz');
    await writeNifti(createVolume({ ...phantom.image, voxels: phantom.truth }), labelPath, { intent: 'label' });
    h.answerNextOpen(labelPath);
    const file = valueOf(await h.services.invoke('mask:open', { volumeId: volume.volumeId }))!.segments;
    expect(file.map((s) => s.name)).toEqual(['Label 1', 'Label 2']);

    const empty = new Uint8Array(8);
    const handOne = newSegmentDef({ segments: [], layer0: empty });
    const handTwo = newSegmentDef({ segments: [handOne], layer0: empty });
    expect([handOne.value, handTwo.value]).toEqual([1, 2]);
    const views = labelColours({ maxLabel: 2, segments: [], opacity: 1, outline: false });

    for (const [value, hand] of [
      [1, handOne],
      [2, handTwo],
    ] as const) {
      const colour = labelColour(value);
      expect(colourOf(model, value)).toEqual(colour);
      expect(colourOf(file, value)).toEqual(colour);
      expect(hand.colour).toEqual(colour);
      expect(views[value]!.slice(0, 3)).toEqual(colour);
    }
    // Two labels a golden angle apart must not share a colour.
    expect(labelColour(1)).not.toEqual(labelColour(2));
    expect(labelColour(1)).toEqual([226, 54, 54]);
  });
});
