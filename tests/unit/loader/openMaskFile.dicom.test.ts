import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMaskFile } from '../../../main/loader/openMaskFile.js';
import { createVolume, type VolumeGrid } from '../../../main/volume/Volume.js';
import { element, text } from '../dicom/buildPart10.js';
import { buildSeg } from '../dicomSeg/buildSeg.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-openMaskDicom-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// 3×3 slices of 1 mm, two of them, at z = 0 and 1.
const grid: VolumeGrid = createVolume({
  dimensions: [3, 3, 2],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  voxels: new Int16Array(18),
  metadata: { format: 'dicom', windowPresets: [], fileCount: 2, frameOfReferenceUid: '1.2.3.9' },
});

// Segment 1 on slice 0 (1 0 1 / 0 1 0 / 1 0 1), segment 2 on slice 1 (1 1 0 / 0 1 1 / 0 0 1).
const part10 = buildSeg({
  segments: [
    { number: 1, label: 'one', lab: [50000, 40000, 30000] },
    { number: 2, label: 'two', lab: [30000, 20000, 40000] },
  ],
  frames: [
    { segment: 1, position: [0, 0, 0] },
    { segment: 2, position: [0, 0, 1] },
  ],
  pixelData: [0b01010101, 0b01100111, 0b10],
});

describe('openMaskFile: DICOM SEG files', () => {
  it('opens a SEG saved as a bare data set (no preamble, no "DICM", no file meta information)', async () => {
    // What `dcmconv -F +te` writes: the data set alone, in Explicit VR Little Endian, starting at (0008,0016).
    const metaEnd = 132 + element(0x00020010, 'UI', text('1.2.840.10008.1.2.1', 'UI')).length;
    const bare = part10.subarray(metaEnd);
    expect([...bare.subarray(0, 4)]).toEqual([0x08, 0x00, 0x16, 0x00]);
    const path = join(folder, 'bare.dcm');
    writeFileSync(path, bare);
    const opened = await openMaskFile(path, grid);
    expect(opened.name).toBe('bare.dcm');
    expect(opened.segments.map((s) => [s.name, s.layer, s.value])).toEqual([
      ['one', 0, 1],
      ['two', 0, 2],
    ]);
    expect([...opened.layers[0]!]).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 2, 2, 0, 0, 2, 2, 0, 0, 2]);
  });

  it('opens the same SEG as a Part 10 file, whatever its name', async () => {
    const path = join(folder, 'segmentation');
    writeFileSync(path, part10);
    const opened = await openMaskFile(path, grid);
    expect(opened.segments.map((s) => s.name)).toEqual(['one', 'two']);
  });
});
