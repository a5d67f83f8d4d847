import { totalSegmentatorLabels } from '../../../main/dicomSeg/totalSegmentatorLabels.js';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaskHeader, VolumeHeader } from '../../../core/contract.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume, type Volume } from '../../../main/volume/Volume.js';
import { volumeToRasAffine } from '../../../main/volume/volumeTransforms.js';
import { indexToWorld } from '../../../core/geometry/indexToWorld.js';
import { runPythonJson } from '../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { createHarness, valueOf, type Harness } from './appServicesHarness.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-masks-'));
const [ni, nj, nk] = [512, 512, 20];
const at = (i: number, j: number, k: number): number => i + ni * (j + nj * k);
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(!hasSharedData)(`createAppServices: masks on ct-abdomen-j2k (${noSharedDataReason})`, () => {
  let h: Harness;
  let ct: VolumeHeader;
  /** TotalSegmentator's label file as read (LAS order), and a copy of it in scratch. */
  let file: Volume;
  let fileCopy: string;
  let opened: MaskHeader;

  const openMask = async (path: string): Promise<MaskHeader> => {
    h.answerNextOpen(path);
    return valueOf(await h.services.invoke('mask:open', { volumeId: ct.volumeId }))!;
  };
  const maskBytes = (mask: MaskHeader): Uint8Array => h.services.getData('mask', `${mask.maskId}:0`)!;

  beforeAll(async () => {
    h = createHarness();
    h.answerNextOpen(sharedData('dicom/ct-abdomen-j2k'));
    const scan = valueOf(await h.services.invoke('volume:open', { source: 'folder' }))!;
    ct = valueOf(await h.services.invoke('volume:load', { scanId: scan.scanId, seriesIndex: 1 }));
    fileCopy = join(scratch, 'totalseg.nii.gz');
    copyFileSync(sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz'), fileCopy);
    file = (await readNifti(fileCopy)).volume;
    opened = await openMask(fileCopy);
  });
  afterAll(async () => {
    await h.services.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps every label of a mask on the same grid stored in another axis order (LAS onto LPS)', () => {
    expect(opened).toMatchObject({
      volumeId: ct.volumeId,
      name: 'totalseg.nii.gz',
      layers: [{ dataType: 'uint8', dataUrl: `test-data://mask/${opened.maskId}:0` }],
    });
    expect(opened.warnings).toEqual(["stored in LAS order; reordered onto the volume's LPS grid (no resampling)"]);
    const labels = maskBytes(opened);
    expect(labels.length).toBe(ni * nj * nk);
    let mismatches = 0;
    for (let k = 0; k < nk; k++) {
      for (let j = 0; j < nj; j++) {
        for (let i = 0; i < ni; i++) if (labels[at(i, j, k)] !== file.voxels[at(i, nj - 1 - j, k)]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('lists the labels present with voxel counts, millilitres, HU statistics equal to numpy’s, and distinct colours', () => {
    const numpy = runPythonJson<Record<string, { n: number; mean: number; sd: number; min: number; max: number }>>(
      `import sys, json, nibabel as nib, numpy as np
ct = np.asarray(nib.load(sys.argv[1]).dataobj).astype(np.float64); lab = np.asarray(nib.load(sys.argv[2]).dataobj)
out = {}
for v in np.unique(lab[lab > 0]):
    x = ct[lab == v]; out[str(int(v))] = {"n": int(x.size), "mean": float(x.mean()), "sd": float(x.std()), "min": float(x.min()), "max": float(x.max())}
print(json.dumps(out))`,
      [sharedData('reference/ct-abdomen-j2k.dcm2niix.nii.gz'), fileCopy],
    );
    expect(opened.segments.map((s) => String(s.value))).toEqual(Object.keys(numpy).sort((a, b) => Number(a) - Number(b)));
    expect(opened.segments.length).toBe(31);
    for (const s of opened.segments) {
      const expected = numpy[String(s.value)]!;
      expect(s).toMatchObject({
        // Named from the map's own label table (TotalSegmentator writes one), as the built-in table names them.
        name: totalSegmentatorLabels.get(s.value),
        layer: 0,
        algorithmType: 'MANUAL',
        locked: false,
        voxels: expected.n,
        min: expected.min,
        max: expected.max,
      });
      expect(s.volumeMl).toBeCloseTo((s.voxels * 0.9765625 * 0.9765625 * 2) / 1000, 9);
      expect(s.mean).toBeCloseTo(expected.mean, 8);
      expect(s.sd).toBeCloseTo(expected.sd, 8);
    }
    expect(new Set(opened.segments.map((s) => s.colour.join())).size).toBe(opened.segments.length);
  });

  it('exports a .nii.gz that nibabel reads with the volume’s affine and the same labels', async () => {
    const out = join(scratch, 'exported');
    h.answerNextSave(out);
    const saved = valueOf(await h.services.invoke('mask:export', { maskId: opened.maskId, format: 'nifti' }));
    expect(saved).toEqual({ saved: true, fileName: 'exported.nii.gz', warnings: [], complete: true });
    expect(h.saveRequests.at(-1)).toEqual({ suggestedName: 'totalseg.nii.gz', filters: [{ name: 'NIfTI label map', extensions: ['nii.gz'] }] });
    const read = runPythonJson<{ shape: number[]; dtype: string; intent: number; affine: number[][]; sha: string }>(
      `import sys, json, hashlib, nibabel as nib, numpy as np
img = nib.load(sys.argv[1]); data = np.asarray(img.dataobj)
print(json.dumps({"shape": list(data.shape), "dtype": str(data.dtype), "intent": int(img.header["intent_code"]),
  "affine": img.affine.tolist(), "sha": hashlib.sha256(data.tobytes(order="F")).hexdigest()}))`,
      [`${out}.nii.gz`],
    );
    expect(read).toMatchObject({ shape: [ni, nj, nk], dtype: 'uint8', intent: 1002 });
    const expected = volumeToRasAffine({ spacing: ct.spacing, origin: ct.origin, direction: ct.direction });
    read.affine.forEach((row, r) => row.forEach((x, c) => expect(x).toBeCloseTo(expected[r]![c]!, 4)));
    expect(read.sha).toBe(sha256(maskBytes(opened)));

    const again = await openMask(`${out}.nii.gz`);
    expect(again.warnings).toEqual([]);
    expect(sha256(maskBytes(again))).toBe(sha256(maskBytes(opened)));
  });

  it('never exports over an input, and a cancelled dialog saves nothing', async () => {
    h.answerNextSave(fileCopy);
    expect(await h.services.invoke('mask:export', { maskId: opened.maskId, format: 'nifti' })).toMatchObject({ ok: false, error: { code: 'OUTPUT_IS_INPUT' } });
    h.answerNextSave(undefined);
    expect(valueOf(await h.services.invoke('mask:export', { maskId: opened.maskId, format: 'nifti' }))).toEqual({ saved: false });
  });

  it('resamples a coarser mask nearest-neighbour onto the volume’s grid', async () => {
    const onCt = maskBytes(opened);
    const coarse = coarseLabels(onCt, ct, [0, 0, 0]);
    const path = join(scratch, 'coarse.nii.gz');
    await writeNifti(coarse, path, { intent: 'label' });
    const mask = await openMask(path);
    // Written without the map's own label table, so its names are TotalSegmentator's, guessed (and said so).
    expect(mask.warnings).toEqual([
      "resampled nearest-neighbour from its own grid (256×256×20 at 1.953×1.953×2 mm) onto the volume's",
      "names from TotalSegmentator's table, guessed from the label values",
    ]);
    const labels = maskBytes(mask);
    let mismatches = 0;
    for (let k = 0; k < nk; k++) {
      for (let j = 0; j < nj; j++) {
        for (let i = 0; i < ni; i++) {
          if (labels[at(i, j, k)] !== onCt[at(2 * Math.floor(i / 2), 2 * Math.floor(j / 2), k)]) mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });

  it('leaves the uncovered part of a partly overlapping mask unlabelled, and says so', async () => {
    const path = join(scratch, 'shifted.nii.gz');
    await writeNifti(coarseLabels(maskBytes(opened), ct, [0, 0, 10]), path, { intent: 'label' });
    const mask = await openMask(path);
    expect(mask.warnings[1]).toBe('covers 75.0% of the volume; the rest is unlabelled');
    const labels = maskBytes(mask);
    expect(labels.subarray(at(0, 0, 0), at(0, 0, 5)).every((v) => v === 0)).toBe(true);
  });

  it('refuses a mask that does not overlap the volume at all, saying why', async () => {
    const path = join(scratch, 'elsewhere.nii.gz');
    await writeNifti(coarseLabels(maskBytes(opened), ct, [0, 0, 500]), path, { intent: 'label' });
    h.answerNextOpen(path);
    const result = await h.services.invoke('mask:open', { volumeId: ct.volumeId });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('MASK_GRID_MISMATCH');
    expect(result.error.message.startsWith(`${path}: the label map does not overlap the volume: `)).toBe(true);
    expect(result.error.message).toMatch(/centres are 500\.0 mm apart/);
  });

  it('refuses a file whose values are not labels', async () => {
    const path = join(scratch, 'float.nii.gz');
    const v = coarseLabels(maskBytes(opened), ct, [0, 0, 0]);
    const voxels = new Float32Array(v.voxels.length).fill(0.5);
    await writeNifti(createVolume({ ...v, voxels }), path);
    h.answerNextOpen(path);
    expect(await h.services.invoke('mask:open', { volumeId: ct.volumeId })).toMatchObject({
      ok: false,
      error: { code: 'MASK_NOT_LABELS', message: `${path}: not a label map: voxel 0 holds 0.5 (labels are whole numbers 0–65535)` },
    });
  });
});

/**
 * Every second voxel along i and j (the sample at even indices) on a grid of
 * twice the spacing whose voxel centres sit between the CT's, shifted by
 * `shiftMm` (LPS).
 */
function coarseLabels(onCt: Uint8Array, ct: VolumeHeader, shiftMm: [number, number, number]): Volume {
  const voxels = new Uint8Array(256 * 256 * nk);
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < 256; j++) {
      for (let i = 0; i < 256; i++) voxels[i + 256 * (j + 256 * k)] = onCt[at(2 * i, 2 * j, k)]!;
    }
  }
  const centre = indexToWorld(ct, [0.5, 0.5, 0]);
  return createVolume({
    dimensions: [256, 256, nk],
    spacing: [ct.spacing[0] * 2, ct.spacing[1] * 2, ct.spacing[2]],
    origin: [centre[0] + shiftMm[0], centre[1] + shiftMm[1], centre[2] + shiftMm[2]],
    direction: ct.direction,
    voxels,
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
}
