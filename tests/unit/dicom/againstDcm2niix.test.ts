import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { debianPython, runPythonJson } from '../../python.js';
import { hasSharedData, sharedData } from '../../sharedData.js';
import { repoRoot } from '../../repoRoot.js';

/**
 * "Series nobody here has seen": each case is converted by `axial convert`
 * (the built CLI, as a user runs it) and by dcm2niix, and the two NIfTIs must
 * hold the same values (after scl_slope/scl_inter) at the same RAS points.
 * To add a series, add one line to `cases`: a file or folder of real DICOM.
 */
interface ReferenceCase {
  readonly name: string;
  /** Real DICOM file or folder; copied alone into a scratch folder so neither tool sees its neighbours. */
  readonly source: string;
  /** Makes the input in the scratch folder instead of copying `source` (for generated fixtures). */
  readonly make?: (inputFolder: string) => void;
  /** `--series` for axial, when the input holds several volumes. */
  readonly series?: string;
  /**
   * Largest relative difference allowed between values; 0 (exact) unless the
   * values are not integers (non-integer RescaleSlope), where Axial stores
   * float32 and dcm2niix applies a float32 scl_slope, so only float32 rounding may differ.
   */
  readonly relativeTolerance?: number;
}

const pydicomData = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const dicomdirTests = join(pydicomData, 'dicomdirtests');
const transferSyntaxes = sharedData('dicom/ct-transfer-syntaxes');
const syntax = (name: string): string => join(transferSyntaxes, `CTImage.dcm_${name}.dcm`);

const cases: ReferenceCase[] = [
  // A 20-slice Siemens CT series in JPEG 2000 lossless, and the same slices as one
  // Enhanced CT object with shuffled frames and geometry only in functional groups.
  { name: 'ct-abdomen-j2k (20 slices, JPEG 2000 lossless)', source: sharedData('dicom/ct-abdomen-j2k') },
  {
    name: 'Enhanced CT multi-frame made from ct-abdomen-j2k',
    source: sharedData('dicom/ct-abdomen-j2k'),
    make: (input) => makeEnhancedCt(sharedData('dicom/ct-abdomen-j2k'), join(input, 'enhanced-ct.dcm')),
  },
  { name: 'GE CT, 3 slices, implicit VR, feet first', source: sharedData('dicom/seg/ct-3slice') },
  // One GE chest CT slice in each transfer syntax both tools decode. JPEG 2000
  // lossy (.91) is exact too because both decode it with OpenJPEG.
  { name: 'CTImage.dcm', source: join(transferSyntaxes, 'CTImage.dcm') },
  { name: 'CTImage implicit VR little endian', source: syntax('LittleEndianImplicitTransferSyntax_1.2.840.10008.1.2') },
  { name: 'CTImage explicit VR little endian', source: syntax('LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1') },
  { name: 'CTImage explicit VR big endian', source: syntax('BigEndianExplicitTransferSyntax_1.2.840.10008.1.2.2') },
  { name: 'CTImage RLE lossless', source: syntax('RLELosslessTransferSyntax_1.2.840.10008.1.2.5') },
  { name: 'CTImage JPEG lossless process 14', source: syntax('JPEGProcess14TransferSyntax_1.2.840.10008.1.2.4.57') },
  { name: 'CTImage JPEG lossless SV1', source: syntax('JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70') },
  { name: 'CTImage JPEG 2000 lossless', source: syntax('JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90') },
  { name: 'CTImage JPEG 2000 lossy', source: syntax('JPEG2000TransferSyntax_1.2.840.10008.1.2.4.91') },
  // pydicom's test images (NEMA WG04 CT and MR, downsized).
  { name: 'pydicom CT_small', source: join(pydicomData, 'CT_small.dcm') },
  { name: 'pydicom MR_small', source: join(pydicomData, 'MR_small.dcm') },
  { name: 'pydicom MR_small implicit VR', source: join(pydicomData, 'MR_small_implicit.dcm') },
  { name: 'pydicom MR_small big endian (dcmodify)', source: join(pydicomData, 'MR_small_bigendian.dcm') },
  { name: 'pydicom MR_small big endian (dcmconv)', source: join(pydicomData, 'MR_small_expb.dcm') },
  { name: 'pydicom MR_small, PixelData 128 bytes longer than the image', source: join(pydicomData, 'MR_small_padded.dcm') },
  { name: 'pydicom MR_small RLE', source: join(pydicomData, 'MR_small_RLE.dcm') },
  { name: 'pydicom MR_small JPEG 2000 lossless', source: join(pydicomData, 'MR_small_jp2klossless.dcm') },
  { name: 'pydicom 693_J2KI (BitsStored 14, J2K precision 16)', source: join(pydicomData, '693_J2KI.dcm') },
  // Real GE series and single slices referenced by pydicom's DICOMDIR tests.
  { name: 'GE CT 5 slices (98892001/CT5N)', source: join(dicomdirTests, '98892001/CT5N') },
  { name: 'GE CT scout, coronal (98892001/CT2N/6924)', source: join(dicomdirTests, '98892001/CT2N/6924') },
  { name: 'GE MR localizer, coronal (98892003/MR2/4950)', source: join(dicomdirTests, '98892003/MR2/4950') },
  { name: 'GE MR localizer, sagittal (98892003/MR2/5011)', source: join(dicomdirTests, '98892003/MR2/5011') },
  { name: 'GE MR angio, oblique (98892003/MR700/4528)', source: join(dicomdirTests, '98892003/MR700/4528') },
];

// Left out, each checked by hand (dcm2niix v1.0.20220720, Debian build):
// - Deflated explicit VR (CTImage …1.2.1.99, pydicom image_dfl.dcm): dcm2niix refuses the transfer syntax.
// - JPEG-LS (.80, .81, pydicom MR_small_jpeg_ls_lossless.dcm): Debian's dcm2niix is built without CharLS.
// - 12-bit JPEG (.51, pydicom JPEG-lossy.dcm, JPGExtended.dcm): dcm2niix does not decode them; Axial's
//   values equal DCMTK's dcmdjpeg exactly (tests/unit/dicom/codecs/decodeJpegSequentialDct.test.ts).
//   .53 and .55 are progressive 12-bit: neither tool decodes them.
// - 8-bit JPEG baseline (.50, lossy): dcm2niix's built-in decoder differs from libjpeg by up to 71
//   stored levels; Axial's values equal GDCM's and DCMTK's (`gdcmconv --raw`, `dcmdjpeg`) exactly.
// - pydicom J2K_pixelrep_mismatch.dcm: dcm2niix ignores PixelRepresentation 1 when the J2K codestream
//   says unsigned (6192 where pydicom's own test expects -2000, as Axial gives), and shears this
//   single gantry-tilted slice.
// - pydicom JPEG2000.dcm, CR images under dicomdirtests: no ImagePositionPatient; both tools write a
//   2D image, each with its own made-up placement, so there is no affine to compare.
// - pydicom rtdose.dcm: Axial lists RT Dose as not an image.
// - dicomdirtests/77654033/CT2: 4 slices with a 202.5 mm gap, so no regular grid exists; both tools
//   warn, dcm2niix spaces them by the first gap, Axial by the mean.
// - dicomdirtests/98892003/MR1, MR2 as folders: several single-slice volumes of one shape, which
//   cannot be matched to dcm2niix's outputs by shape; single files from them are listed instead.

const cli = join(repoRoot, 'dist', 'main', 'cli', 'axial.js');
const generator = join(repoRoot, 'tests', 'fixtures', 'makeEnhancedCt.py');
const hasDcm2niix = spawnSync('dcm2niix', ['-v'], { encoding: 'utf8' }).error === undefined;
const hasPydicomData = existsSync(pydicomData);

function makeEnhancedCt(classicFolder: string, output: string): void {
  execFileSync(debianPython, [generator, classicFolder, output], { encoding: 'utf8' });
}

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  }
}

/** Compares axial.nii.gz with dcm2niix's output of the same shape, both in closest-canonical RAS. */
const compareScript = `
import glob, json, os, sys
import nibabel as nib
import numpy as np

def canonical(path):
    img = nib.load(path)
    while len(img.shape) > 3 and img.shape[-1] == 1:
        img = img.slicer[..., 0]
    img = nib.as_closest_canonical(img)
    return img.affine, np.asarray(img.get_fdata(dtype=np.float64))

affine, values = canonical(sys.argv[1])
refs = sorted(glob.glob(os.path.join(sys.argv[2], '*.nii*')))
matching = []
for ref in refs:
    ref_affine, ref_values = canonical(ref)
    if ref_values.shape == values.shape:
        matching.append((ref, ref_affine, ref_values))
out = {'shape': list(values.shape), 'references': [os.path.basename(r) for r in refs], 'matching': len(matching)}
if len(matching) == 1:
    ref, ref_affine, ref_values = matching[0]
    diff = np.abs(values - ref_values)
    scale = np.maximum(np.abs(ref_values), 1.0)
    out.update({
        'reference': os.path.basename(ref),
        'affineMaxDiffMm': float(np.abs(affine - ref_affine).max()),
        'affine': np.round(affine, 4).tolist(),
        'referenceAffine': np.round(ref_affine, 4).tolist(),
        'mismatches': int((values != ref_values).sum()),
        'maxAbsDiff': float(diff.max()),
        'maxRelDiff': float((diff / scale).max()),
    })
    if out['mismatches']:
        first = tuple(int(i) for i in np.argwhere(values != ref_values)[0])
        out['firstMismatch'] = {'index': list(first), 'axial': float(values[first]), 'dcm2niix': float(ref_values[first])}
print(json.dumps(out))
`;

interface Comparison {
  readonly shape: number[];
  readonly references: string[];
  readonly matching: number;
  readonly reference?: string;
  readonly affineMaxDiffMm?: number;
  readonly mismatches?: number;
  readonly maxAbsDiff?: number;
  readonly maxRelDiff?: number;
}

function isAvailable(c: ReferenceCase): boolean {
  if (c.source.startsWith(pydicomData)) return hasPydicomData && existsSync(c.source);
  return hasSharedData && existsSync(c.source);
}

describe.skipIf(!hasDcm2niix)('axial convert against dcm2niix (skipped: dcm2niix is not installed)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-vs-dcm2niix-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  cases.forEach((c, n) => {
    const why = `${c.source} not found (needs ../shared/data or Debian's python3-pydicom)`;
    it.skipIf(!isAvailable(c))(`${c.name}${isAvailable(c) ? '' : ` — skipped: ${why}`}`, () => {
      expect(existsSync(cli), `${cli} is missing: run \`npx tsc -b\` first`).toBe(true);
      const folder = join(scratch, String(n));
      const input = join(folder, 'input');
      const reference = join(folder, 'dcm2niix');
      mkdirSync(input, { recursive: true });
      mkdirSync(reference);
      if (c.make) c.make(input);
      else if (statSync(c.source).isDirectory()) cpSync(c.source, input, { recursive: true });
      else cpSync(c.source, join(input, basename(c.source)));

      const axialOutput = join(folder, 'axial.nii.gz');
      run(process.execPath, [cli, 'convert', input, axialOutput, ...(c.series ? ['--series', c.series] : [])]);
      run('dcm2niix', ['-z', 'y', '-b', 'n', '-f', 'ref', '-o', reference, input]);

      const result = runPythonJson<Comparison>(compareScript, [axialOutput, reference]);
      const summary = JSON.stringify(result);
      expect(result.matching, `one dcm2niix output must have Axial's shape: ${summary}`).toBe(1);
      expect(result.affineMaxDiffMm!, summary).toBeLessThan(1e-3);
      if (c.relativeTolerance) expect(result.maxRelDiff!, summary).toBeLessThanOrEqual(c.relativeTolerance);
      else expect(result.mismatches, summary).toBe(0);
    });
  });
});
