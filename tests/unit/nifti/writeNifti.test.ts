import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume, type Volume } from '../../../main/volume/Volume.js';
import { type Vec3 } from '../../../core/geometry/types.js';
import { cross } from '../../../core/geometry/vec3.js';
import { volumeToRasAffine } from '../../../main/volume/volumeTransforms.js';
import { runPythonJson } from '../../python.js';

const folder = mkdtempSync(join(tmpdir(), 'axial-nifti-write-'));

/** A 5×7×3 int16 volume, 20° oblique about S then 10° about L, anisotropic. */
function obliqueVolume(): Volume {
  const a = (20 * Math.PI) / 180;
  const b = (10 * Math.PI) / 180;
  const x: Vec3 = [Math.cos(a), Math.sin(a), 0];
  const y: Vec3 = [-Math.sin(a) * Math.cos(b), Math.cos(a) * Math.cos(b), Math.sin(b)];
  const z = cross(x, y);
  const voxels = new Int16Array(5 * 7 * 3).map((_, i) => i * 37 - 1000);
  return createVolume({
    dimensions: [5, 7, 3],
    spacing: [0.7, 1.3, 2.5],
    origin: [-12.5, 40.25, -100],
    direction: [x, y, z],
    voxels,
    metadata: { format: 'dicom', windowPresets: [], fileCount: 1 },
  });
}

const nibabelScript = `
import sys, json, nibabel as nib, numpy as np
img = nib.load(sys.argv[1])
data = np.asanyarray(img.dataobj)
print(json.dumps({
  "shape": list(data.shape), "dtype": str(data.dtype),
  "affine": img.affine.tolist(), "qform": img.get_qform().tolist(),
  "sform_code": int(img.header["sform_code"]), "qform_code": int(img.header["qform_code"]),
  "values": data.flatten(order="F").astype(float).tolist(),
}))`;

interface NibabelView {
  shape: number[];
  dtype: string;
  affine: number[][];
  qform: number[][];
  sform_code: number;
  qform_code: number;
  values: number[];
}

describe('writeNifti', () => {
  it.each(['out.nii.gz', 'out.nii'])('writes %s that nibabel reads with the same values, sform and qform', async (name) => {
    const volume = obliqueVolume();
    const path = join(folder, name);
    await writeNifti(volume, path);
    const seen = runPythonJson<NibabelView>(nibabelScript, [path]);
    expect(seen.shape).toEqual([5, 7, 3]);
    expect(seen.dtype).toBe('int16');
    expect(seen.values).toEqual(Array.from(volume.voxels));
    expect(seen.sform_code).toBe(1);
    expect(seen.qform_code).toBe(1);
    const expected = volumeToRasAffine(volume);
    for (const affine of [seen.affine, seen.qform]) {
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 4; c++) expect(affine[r]![c]!).toBeCloseTo(expected[r]![c]!, 4);
      }
    }
    const back = (await readNifti(path)).volume;
    expect(Array.from(back.voxels)).toEqual(Array.from(volume.voxels));
    expect(
      volumeToRasAffine(back)
        .flat()
        .map((v) => Math.round(v * 1e4)),
    ).toEqual(expected.flat().map((v) => Math.round(v * 1e4)));
  });

  it('writes descrip as ASCII: accents dropped, other characters "?" (never another letter), cut at 79 bytes', async () => {
    const descrip = async (seriesDescription: string): Promise<string> => {
      const path = join(folder, 'descrip.nii');
      await writeNifti(createVolume({ ...obliqueVolume(), metadata: { format: 'dicom', windowPresets: [], fileCount: 1, seriesDescription } }), path);
      const bytes = readFileSync(path).subarray(148, 228);
      expect(bytes[79], 'descrip ends in a NUL').toBe(0);
      return bytes.toString('latin1').replace(/\0+$/, '');
    };
    // µ (U+00B5) masked to 7 bits was "5", ä (U+00E4) was "d"; a character outside the BMP is one "?".
    expect(await descrip('Schädel T1 µm')).toBe('Schadel T1 ?m');
    expect(await descrip('Ångström 😀 ß')).toBe('Angstrom ? ?');
    // An accent written as its own combining mark (decomposed, as macOS names files) goes too.
    expect(await descrip('Mu\u0308ller')).toBe('Muller');
    expect(await descrip(`${'é'.repeat(78)}µ-cut`)).toBe(`${'e'.repeat(78)}?`);
  });

  it('refuses to write over its input and leaves no partial file on failure', async () => {
    const path = join(folder, 'input.nii');
    await writeNifti(obliqueVolume(), path);
    const before = readFileSync(path);
    await expect(writeNifti(obliqueVolume(), path, { inputs: [path] })).rejects.toMatchObject({ code: 'OUTPUT_IS_INPUT' });
    expect(readFileSync(path).equals(before)).toBe(true);
    await expect(writeNifti(obliqueVolume(), join(folder, 'missing-folder', 'x.nii'))).rejects.toMatchObject({
      code: 'OUTPUT_WRITE_FAILED',
    });
  });
});
