import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../main/errors/AxialError.js';
import { parseDicomSeg } from '../../../main/dicomSeg/parseDicomSeg.js';
import { placeSegOnVolume } from '../../../main/dicomSeg/placeSegOnVolume.js';
import { createVolume, type Volume, type VolumeGrid, type VolumeMetadata } from '../../../main/volume/Volume.js';
import { type Mat3, type Vec3 } from '../../../core/geometry/types.js';
import { hasSharedData, noSharedDataReason } from '../../sharedData.js';
import { buildSeg, type BuiltSeg } from './buildSeg.js';
import { pydicomFrames, segData } from './pydicomSeg.js';

const identity: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

function volumeOf(dimensions: Vec3, spacing: Vec3, origin: Vec3, metadata: Partial<VolumeMetadata> = {}, direction: Mat3 = identity): Volume {
  return createVolume({
    dimensions,
    spacing,
    origin,
    direction,
    voxels: new Int16Array(dimensions[0] * dimensions[1] * dimensions[2]),
    metadata: { format: 'dicom', windowPresets: [], fileCount: dimensions[2], frameOfReferenceUid: '1.2.3.9', ...metadata },
  });
}

function sum(labels: ArrayLike<number>): number {
  let total = 0;
  for (let n = 0; n < labels.length; n++) total += labels[n]!;
  return total;
}

const place = (seg: BuiltSeg, volume: VolumeGrid) => placeSegOnVolume(parseDicomSeg(buildSeg(seg), 'hand-built.dcm'), volume, 'hand-built.dcm');

function expectMismatch(run: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AxialError);
  expect((thrown as AxialError).code).toBe('SEG_SOURCE_MISMATCH');
  expect((thrown as AxialError).message).toMatch(message);
}

// 3×3 slices of 1 mm; slice k at z = k; slice UIDs 1.2.3.100 + k.
const grid = volumeOf([3, 3, 2], [1, 1, 1], [0, 0, 0], { sopInstanceUids: ['1.2.3.100', '1.2.3.101'], seriesInstanceUid: '1.2.3.50' });
const segments = [
  { number: 1, label: 'one', lab: [50000, 40000, 30000] as const },
  { number: 2, label: 'two', lab: [30000, 20000, 40000] as const },
];
// Frame 0: 1 0 1 / 0 1 0 / 1 0 1; frame 1: 1 1 0 / 0 1 1 / 0 0 1 (packed across the byte boundary).
const pixelData = [0b01010101, 0b01100111, 0b10];

describe('placeSegOnVolume', () => {
  it('puts overlapping segments in separate layers, each label value its SegmentNumber', () => {
    const { seg, warnings } = place(
      {
        segments,
        pixelData,
        frames: [
          { segment: 1, source: '1.2.3.101' },
          { segment: 2, source: '1.2.3.101' },
        ],
      },
      grid,
    );
    expect(warnings).toEqual([]);
    expect(seg.segments.map((s) => [s.label, s.layer, s.value])).toEqual([
      ['one', 0, 1],
      ['two', 1, 2],
    ]);
    expect([...seg.layers[0]!]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect([...seg.layers[1]!]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2, 0, 0, 2]);
  });

  it('shares a layer between segments that do not overlap', () => {
    const { seg } = place(
      {
        segments,
        pixelData,
        frames: [
          { segment: 1, position: [0, 0, 0] },
          { segment: 2, position: [0, 0, 1] },
        ],
      },
      grid,
    );
    expect(seg.layers).toHaveLength(1);
    expect([...seg.layers[0]!]).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 2, 2, 0, 0, 2, 2, 0, 0, 2]);
  });

  it('trusts the position over the referenced UID when both place a frame, with a warning', () => {
    const { seg, warnings } = place(
      {
        segments,
        pixelData,
        frames: [
          { segment: 1, source: '1.2.3.100', position: [0, 0, 1] },
          { segment: 2, source: '1.2.3.100', position: [0, 0, 0] },
        ],
      },
      grid,
    );
    expect(warnings).toEqual(["1 frame(s) reference one slice's SOP Instance UID but lie on another slice; placed by their position"]);
    expect(seg.layers).toHaveLength(1);
    expect([...seg.layers[0]!]).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1].map((v, n) => (n < 9 ? v * 2 : v)));
  });

  it('warns about another Frame of Reference or series, and still places by UID', () => {
    const other = volumeOf([3, 3, 2], [1, 1, 1], [0, 0, 0], { sopInstanceUids: ['1.2.3.100', '1.2.3.101'], frameOfReferenceUid: '9.9' });
    const { warnings } = place(
      {
        segments,
        pixelData,
        frames: [
          { segment: 1, source: '1.2.3.100' },
          { segment: 2, source: '1.2.3.101' },
        ],
      },
      other,
    );
    expect(warnings).toEqual(["its Frame of Reference (1.2.3.9) is not the volume's (9.9)"]);
  });

  it('stores a layer as Uint16Array only when one of its values is over 255', () => {
    const labelmap = place(
      {
        segmentationType: 'LABELMAP',
        bitsAllocated: 16,
        sopClass: '1.2.840.10008.5.1.4.1.1.66.7',
        segments: [
          { number: 0, label: 'Background' },
          { number: 7, label: 'seven' },
          { number: 300, label: 'many' },
        ],
        frames: [{ position: [0, 0, 0] }, { position: [0, 0, 1] }],
        // Frame 0: 7 7 0 …; frame 1: 300 0 … 0 2304 (0x0900, no segment's number).
        pixelData: [7, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2c, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9],
      },
      grid,
    );
    expect(labelmap.seg.layers).toHaveLength(1);
    expect(labelmap.seg.layers[0]).toBeInstanceOf(Uint16Array);
    expect([...labelmap.seg.layers[0]!]).toEqual([7, 7, 0, 0, 0, 0, 0, 0, 0, 300, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(labelmap.warnings).toContain('pixel values 2304 name no segment of the SegmentSequence; left out');

    const binary = place(
      {
        segments: [segments[0]!, { ...segments[1]!, number: 300 }],
        pixelData,
        frames: [
          { segment: 1, source: '1.2.3.100' },
          { segment: 300, source: '1.2.3.100' },
        ],
      },
      grid,
    );
    expect(binary.seg.segments.map((s) => [s.layer, s.value])).toEqual([
      [0, 1],
      [1, 300],
    ]);
    expect(binary.seg.layers.map((l) => l.constructor)).toEqual([Uint8Array, Uint16Array]);
  });

  it('refuses frames of another size, orientation or pixel spacing, and frames on no slice', () => {
    const frames = [
      { segment: 1, position: [0, 0, 0] as const },
      { segment: 2, position: [0, 0, 1] as const },
    ];
    expectMismatch(
      () => place({ segments, pixelData: [0, 0, 0, 0], rows: 4, columns: 2, frames }, grid),
      /its frames are 2×4 pixels but the volume's slices are 3×3/,
    );
    expectMismatch(
      () => place({ segments, pixelData, frames, orientation: [0, 1, 0, 1, 0, 0] }, grid),
      /its frames are oriented \[0, 1, 0, 1, 0, 0\] but the volume's slices are \[1, 0, 0, 0, 1, 0\]/,
    );
    expectMismatch(() => place({ segments, pixelData, frames, pixelSpacing: [1, 1.1] }, grid), /its pixel spacing is 1\\1\.1 mm but the volume's is 1\\1 mm/);
    expectMismatch(
      () => place({ segments, pixelData, frames: [frames[0]!, { segment: 2, position: [0, 0, 0.5], source: '1.2.3.999' }] }, grid),
      new RegExp(
        String.raw`it references images that are not in this series: frame\(s\) 2 land on no slice; ` +
          String.raw`frame 2 references SOP Instance 1\.2\.3\.999, which is not a slice of this volume, ` +
          String.raw`its position \(0, 0, 0\.5\) is on no slice of the volume \(index 0, 0, 0\.5\)`,
      ),
    );
    expectMismatch(() => place({ segments, pixelData, frames: [frames[0]!, { segment: 2, position: [0.5, 0, 1] }] }, grid), /frame\(s\) 2 land on no slice/);
  });

  it('says frames shifted in-plane were placed by the images they reference, not that they lie between slices', () => {
    const { seg, warnings } = place(
      {
        segments,
        pixelData,
        frames: [
          { segment: 1, source: '1.2.3.100', position: [0.02, 0, 0] },
          { segment: 2, source: '1.2.3.101', position: [0, -0.015, 1] },
        ],
      },
      grid,
    );
    expect(warnings).toEqual([
      "2 frame(s) are shifted in-plane by up to 0.02 mm from the volume's voxels (their first pixel is not on a voxel centre of a slice); " +
        "placed by the SOP Instance UID they reference, pixel for pixel on that slice's voxels",
    ]);
    expect([...seg.layers[0]!]).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 2, 2, 0, 0, 2, 2, 0, 0, 2]);
  });

  /** `count` segments, each one frame on slice 0 holding only its first pixel. */
  function sharingOneVoxel(count: number, pixels: number): BuiltSeg {
    const bits = new Array<number>(Math.ceil((count * pixels) / 8)).fill(0);
    for (let f = 0; f < count; f++) bits[(f * pixels) >>> 3]! |= 1 << ((f * pixels) & 7);
    return {
      segments: Array.from({ length: count }, (_, n) => ({ number: n + 1, label: `s${n + 1}` })),
      frames: Array.from({ length: count }, (_, n) => ({ segment: n + 1, position: [0, 0, 0] as const })),
      pixelData: bits,
    };
  }

  it('opens 64 segments that share a voxel as 64 layers, and refuses 65 before allocating their layers', () => {
    expect(place(sharingOneVoxel(64, 9), grid).seg.layers).toHaveLength(64);
    let thrown: unknown;
    try {
      place(sharingOneVoxel(65, 9), grid);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AxialError);
    expect((thrown as AxialError).code).toBe('SEG_UNSUPPORTED');
    expect((thrown as AxialError).message).toBe(
      'hand-built.dcm: its segments overlap: at least 65 of its segments share a voxel, so they would need at least 65 label layers of 18 bytes each; ' +
        'Axial opens at most 64 layers, in 4 GiB',
    );
  });

  it('stops counting overlapping segments once they pass the limit: 300 on one voxel (16-bit layers) are refused as "at least 65"', () => {
    expect(() => place(sharingOneVoxel(300, 9), grid)).toThrow(
      'hand-built.dcm: its segments overlap: at least 65 of its segments share a voxel, so they would need at least 65 label layers of 36 bytes each; ' +
        'Axial opens at most 64 layers, in 4 GiB',
    );
  });

  it('refuses overlapping segments whose layers would pass 4 GiB, before allocating them', () => {
    // 512×512×4096 voxels: a layer of 1 GiB, so 4 layers at most; 5 segments share a voxel.
    const tall: VolumeGrid = { ...volumeOf([512, 512, 1], [1, 1, 1], [0, 0, 0]), dimensions: [512, 512, 4096] };
    let thrown: unknown;
    try {
      place({ ...sharingOneVoxel(5, 512 * 512), rows: 512, columns: 512 }, tall);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AxialError);
    expect((thrown as AxialError).code).toBe('SEG_UNSUPPORTED');
    expect((thrown as AxialError).message).toMatch(
      /at least 5 of its segments share a voxel, so they would need at least 5 label layers of 1 GiB each; Axial opens at most 64 layers, in 4 GiB$/,
    );
  });
});

describe.skipIf(!hasSharedData)(`placeSegOnVolume of the LABELMAP sparse-labelmap-noppv.dcm (${noSharedDataReason})`, () => {
  // Its source CT is not here. A volume on the grid its frames describe (24×38 pixels of 0.7 mm,
  // slices 2.5 mm apart from z = -177.75) takes its two frames, 5 mm apart, at k = 0 and k = 2.
  const seg = parseDicomSeg(readFileSync(segData('dcmqi/sparse-labelmap-noppv.dcm')), 'sparse-labelmap-noppv.dcm');
  const origin: Vec3 = [46.464901, 5.0188098, -177.75];

  it('places the frames by position alone, slice 1 left empty, values as pydicom decodes them', () => {
    const volume = volumeOf([24, 38, 3], [0.7, 0.7, 2.5], origin, { frameOfReferenceUid: seg.frameOfReferenceUid });
    const { seg: placed, warnings } = placeSegOnVolume(seg, volume, 'sparse-labelmap-noppv.dcm');
    expect(warnings).toEqual([]);
    expect(placed.segments.map((s) => [s.label, s.layer, s.value, s.algorithmName])).toEqual([['Liver', 0, 1, 'SlicerEditor']]);
    const sliceSize = 24 * 38;
    const reference = pydicomFrames(segData('dcmqi/sparse-labelmap-noppv.dcm'));
    const expected = new Uint8Array(3 * sliceSize);
    [0, 2].forEach((k, f) => reference[f]!.nonzero.forEach((p, n) => (expected[k * sliceSize + p] = reference[f]!.values[n]!)));
    expect(placed.layers[0]).toEqual(expected);
    expect(sum(placed.layers[0]!)).toBe(630);
    expect(placed.layers[0]!.subarray(sliceSize, 2 * sliceSize).every((v) => v === 0)).toBe(true);
  });

  it('refuses a volume half a slice away: the frames reference images that are not in this series', () => {
    const shifted = volumeOf([24, 38, 3], [0.7, 0.7, 2.5], [origin[0], origin[1], origin[2] + 1.25], { frameOfReferenceUid: '1.2.3' });
    expectMismatch(
      () => placeSegOnVolume(seg, shifted, 'sparse-labelmap-noppv.dcm'),
      new RegExp(
        String.raw`references images that are not in this series: frame\(s\) 1, 2 land on no slice; ` +
          String.raw`frame 1 references SOP Instance 1\.2\.826\.0\.1\.3680043\.2\.1125\.1\.40786175510277805682528251346244400, ` +
          String.raw`which is not a slice of this volume, its position .* is on no slice of the volume \(index 0, 0, -0\.5\), ` +
          String.raw`and the SEG's Frame of Reference is not the volume's`,
      ),
    );
  });
});
