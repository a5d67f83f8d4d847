import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runCli } from '../../../main/cli/runCli.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { runPythonJson } from '../../python.js';
import { tinyVolume } from '../../tinyVolume.js';

/**
 * An axis over 32767 does not fit NIfTI-1's int16 dim[] (40000 was written as -25536): such a volume is written as
 * NIfTI-2, as nibabel's Nifti2Image, and nibabel and readNifti read back its size and voxels; a volume within the
 * limit stays NIfTI-1.
 */
const folder = mkdtempSync(join(tmpdir(), 'axial-nifti-wide-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const nibabelScript = `
import sys, json, nibabel as nib, numpy as np
img = nib.load(sys.argv[1])
data = np.asanyarray(img.dataobj)
print(json.dumps({
  "kind": type(img).__name__, "sizeof_hdr": int(img.header["sizeof_hdr"]), "dim": [int(v) for v in img.header["dim"]],
  "offset": int(img.dataobj.offset), "dtype": str(data.dtype), "sum": int(data.astype(np.int64).sum()),
  "corners": [int(data[0, 0, 0]), int(data[-1, 0, 0]), int(data[-1, -1, 0])] if data.ndim == 3 else [int(data[0, 0, 0, -1])],
  "affine": (img.affine + 0.0).tolist(), "units": list(img.header.get_xyzt_units()), "pixdim4": float(img.header["pixdim"][4]),
}))`;

interface NibabelView {
  kind: string;
  sizeof_hdr: number;
  dim: number[];
  offset: number;
  dtype: string;
  sum: number;
  corners: number[];
  affine: number[][];
  units: string[];
  pixdim4: number;
}

/** A 40000×2×1 uint16 volume whose voxel n holds n mod 65521 (a prime, so no two neighbours repeat a period). */
function wideVolume(width = 40000) {
  const voxels = new Uint16Array(width * 2).map((_, n) => n % 65521);
  return { volume: tinyVolume([width, 2, 1], voxels), sum: voxels.reduce((a, v) => a + v, 0) };
}

describe('writeNifti of an axis over 32767', () => {
  it.each(['wide.nii', 'wide.nii.gz'])('writes %s as NIfTI-2: nibabel reads dim [3 40000 2 1], the voxels and the affine', async (name) => {
    const { volume, sum } = wideVolume();
    const path = join(folder, name);
    await writeNifti(volume, path);
    const seen = runPythonJson<NibabelView>(nibabelScript, [path]);
    expect(seen.kind).toBe('Nifti2Image');
    expect(seen.sizeof_hdr).toBe(540);
    expect(seen.dim).toEqual([3, 40000, 2, 1, 1, 1, 1, 1]);
    expect(seen.offset).toBe(544);
    expect(seen.dtype).toBe('uint16');
    expect(seen.sum).toBe(sum);
    expect(seen.corners).toEqual([0, 39999, 79999 % 65521]);
    expect(seen.units).toEqual(['mm', 'sec']);
    // tinyVolume is LPS identity at the origin: RAS flips the first two axes.
    expect(seen.affine).toEqual([
      [-1, 0, 0, 0],
      [0, -1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
    const back = await readNifti(path);
    expect(back.volume.dimensions).toEqual([40000, 2, 1]);
    expect(back.volume.voxels[79999]).toBe(79999 % 65521);
  });

  it('keeps NIfTI-1 for an axis of exactly 32767', async () => {
    const path = join(folder, 'edge.nii');
    await writeNifti(wideVolume(32767).volume, path);
    const seen = runPythonJson<NibabelView>(nibabelScript, [path]);
    expect([seen.kind, seen.sizeof_hdr, seen.offset]).toEqual(['Nifti1Image', 348, 352]);
    expect(seen.dim.slice(0, 4)).toEqual([3, 32767, 2, 1]);
  });

  it('writes 32768 time points as a 4D NIfTI-2 (NIfTI-1 was refused), pixdim[4] the repetition time', async () => {
    const path = join(folder, 'long.nii.gz');
    const volume = tinyVolume([1, 1, 1], new Int16Array([7]));
    const laterTimePoints = Array.from({ length: 32767 }, (_, t) => new Int16Array([t % 1000]));
    await writeNifti(volume, path, { laterTimePoints, repetitionTime: 0.5 });
    const seen = runPythonJson<NibabelView>(nibabelScript, [path]);
    expect(seen.kind).toBe('Nifti2Image');
    expect(seen.dim).toEqual([4, 1, 1, 1, 32768, 1, 1, 1]);
    expect(seen.pixdim4).toBe(0.5);
    expect(seen.corners).toEqual([32766 % 1000]);
  });

  it('axial convert of a 40000×2×1 NRRD writes a .nii nibabel reads as 40000×2×1', async () => {
    const { sum } = wideVolume();
    const nrrd = join(folder, 'wide.nrrd');
    const header = ['NRRD0004', 'type: unsigned short', 'dimension: 3', 'space: left-posterior-superior', 'sizes: 40000 2 1'];
    header.push('space directions: (1,0,0) (0,1,0) (0,0,1)', 'kinds: domain domain domain', 'endian: little', 'encoding: raw');
    header.push('space origin: (0,0,0)', '', '');
    const voxels = wideVolume().volume.voxels;
    writeFileSync(nrrd, Buffer.concat([Buffer.from(header.join('\n')), Buffer.from(voxels.buffer, voxels.byteOffset, voxels.byteLength)]));
    const output = join(folder, 'converted.nii');
    const io = captureIo();
    expect(await runCli(['convert', nrrd, output], io)).toBe(0);
    const seen = runPythonJson<NibabelView>(nibabelScript, [output]);
    expect(seen.dim.slice(0, 4)).toEqual([3, 40000, 2, 1]);
    expect(seen.sum).toBe(sum);
  });
});
