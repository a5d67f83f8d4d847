import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDicomFiles } from '../../../main/dicom/findDicomFiles.js';
import { AxialError } from '../../../main/errors/AxialError.js';
import { scanInput } from '../../../main/input/scanInput.js';
import { debianPython } from '../../python.js';

/**
 * Writes P1/S1/IM00001..IM00005 and P2/S1/IM00001..IM00004: 40×32 CT slices 3 mm apart, one series per
 * patient, Explicit VR Little Endian, every file the same size. DCMTK's dcmmkdir then lists them in a DICOMDIR.
 */
const makeImages = `
import os, sys, numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid, CTImageStorage
root = sys.argv[1]
for patient, n in (('P1', 5), ('P2', 4)):
    study, series = generate_uid(), generate_uid()
    os.makedirs(f'{root}/{patient}/S1')
    for k in range(n):
        ds = Dataset()
        ds.SOPClassUID = CTImageStorage; ds.SOPInstanceUID = generate_uid(); ds.Modality = 'CT'
        ds.PatientName = f'DOE^{patient}'; ds.PatientID = patient; ds.StudyDate = '20230115'; ds.StudyTime = '101530'
        ds.StudyInstanceUID = study; ds.SeriesInstanceUID = series; ds.StudyID = '1'; ds.SeriesNumber = '2'; ds.InstanceNumber = str(k + 1)
        ds.ImagePositionPatient = [0, 0, 3 * k]; ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]; ds.PixelSpacing = [0.7, 0.9]
        ds.Rows, ds.Columns = 32, 40
        ds.SamplesPerPixel = 1; ds.PhotometricInterpretation = 'MONOCHROME2'
        ds.BitsAllocated = 16; ds.BitsStored = 16; ds.HighBit = 15; ds.PixelRepresentation = 0
        ds.PixelData = (np.arange(32 * 40, dtype=np.uint16) + k).tobytes()
        ds.file_meta = FileMetaDataset(); ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID; ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(f'{root}/{patient}/S1/IM{k + 1:05d}', write_like_original=False)
`;

/** Rewrites a DICOMDIR's ReferencedFileIDs with pydicom: 'version' adds ";1" to each file name, 'dotdot' points the first (or 'all') out. */
const editFileIds = `
import sys, pydicom
path, edit = sys.argv[1:3]
ds = pydicom.dcmread(path)
records = [r for r in ds.DirectoryRecordSequence if 'ReferencedFileID' in r]
for i, r in enumerate(records):
    if edit == 'version': r.ReferencedFileID = list(r.ReferencedFileID[:-1]) + [r.ReferencedFileID[-1] + ';1']
    elif edit == 'all' or i == 0: r.ReferencedFileID = ['..', '..', 'etc', 'passwd']
ds.save_as(path)
`;

const images = 9;

describe("findDicomFiles on a DICOMDIR made by dcmmkdir whose files' names differ on disk", () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-dicomdir-names-'));
  const base = join(scratch, 'base');
  let imageSize = 0;
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  beforeAll(() => {
    execFileSync(debianPython, ['-c', makeImages, base]);
    execFileSync('dcmmkdir', ['-Pgp', '+r', 'P1', 'P2'], { cwd: base, stdio: 'pipe' });
    imageSize = statSync(join(base, 'P1', 'S1', 'IM00001')).size;
  });

  /** A copy of the disc in a new folder, changed by `change`; its DICOMDIR's path. */
  function disc(name: string, change: (root: string) => void = () => undefined): string {
    const root = join(scratch, name);
    cpSync(base, root, { recursive: true });
    change(root);
    return join(root, 'DICOMDIR');
  }

  /** Runs editFileIds on a disc's DICOMDIR (pydicom's warnings on the CS values it writes kept off the output). */
  function editIds(root: string, edit: 'version' | 'one' | 'all'): void {
    execFileSync(debianPython, ['-c', editFileIds, join(root, 'DICOMDIR'), edit], { stdio: 'pipe' });
  }

  /** Renames every entry under `folder` (not the DICOMDIR) by `rename`, deepest first. */
  function renameAll(folder: string, rename: (name: string) => string): void {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'DICOMDIR') continue;
      if (entry.isDirectory()) renameAll(join(folder, entry.name), rename);
      renameSync(join(folder, entry.name), join(folder, rename(entry.name)));
    }
  }

  /** The files found and the references skipped (paths relative to the disc), each skipped as `path: reason`. */
  async function find(dicomdir: string): Promise<{ paths: string[]; sizes: number[]; skipped: string[] }> {
    const skipped: string[] = [];
    const root = join(dicomdir, '..');
    const relative = (path: string): string => path.slice(root.length + 1);
    const found = await findDicomFiles(dicomdir, { onSkipped: (s) => skipped.push(`${relative(s.file)}: ${s.reason}`) });
    return { paths: found.map((f) => relative(f.path)).sort(), sizes: found.map((f) => f.size), skipped: skipped.sort() };
  }

  const expectedPaths = (name: (patient: string, k: number) => string): string[] =>
    [...[1, 2, 3, 4, 5].map((k) => name('P1', k)), ...[1, 2, 3, 4].map((k) => name('P2', k))].sort();

  it('finds every file of a disc mounted with lower-case names, and scanInput reads both series from it', async () => {
    const dicomdir = disc('lower', (root) => renameAll(root, (name) => name.toLowerCase()));
    const { paths, sizes, skipped } = await find(dicomdir);
    expect(paths).toEqual(expectedPaths((p, k) => `${p.toLowerCase()}/s1/im0000${k}`));
    expect(sizes).toEqual(Array<number>(images).fill(imageSize));
    expect(skipped).toEqual([]);
    const scan = await scanInput(dicomdir);
    expect(scan.series.map((s) => s.dimensions)).toEqual([
      [40, 32, 5],
      [40, 32, 4],
    ]);
  });

  it('finds the files when the disc shows ISO 9660 versions (IM00001;1), and when the DICOMDIR writes them', async () => {
    const onDisk = await find(disc('version-on-disk', (root) => renameAll(root, (name) => (name.startsWith('IM') ? `${name};1` : name))));
    expect(onDisk.paths).toEqual(expectedPaths((p, k) => `${p}/S1/IM0000${k};1`));
    expect(onDisk.skipped).toEqual([]);
    const inIds = await find(disc('version-in-ids', (root) => editIds(root, 'version')));
    expect(inIds.paths).toEqual(expectedPaths((p, k) => `${p}/S1/IM0000${k}`));
    expect(inIds.skipped).toEqual([]);
  });

  it('prefers the exact name, and skips, saying why, a name that matches several only when case is ignored', async () => {
    const exact = await find(disc('exact', (root) => writeFileSync(join(root, 'P1', 'S1', 'im00001'), 'decoy')));
    expect(exact.paths).toEqual(expectedPaths((p, k) => `${p}/S1/IM0000${k}`));
    expect(exact.sizes).toEqual(Array<number>(images).fill(imageSize));

    const dicomdir = disc('ambiguous', (root) => {
      renameAll(root, (name) => name.toLowerCase());
      writeFileSync(join(root, 'p1', 's1', 'Im00002'), 'decoy');
    });
    const { paths, skipped } = await find(dicomdir);
    expect(paths).toEqual(expectedPaths((p, k) => `${p.toLowerCase()}/s1/im0000${k}`).filter((p) => p !== 'p1/s1/im00002'));
    expect(skipped).toEqual(['P1/S1/IM00002: listed in the DICOMDIR; Im00002 and im00002 both match it when case is ignored, so neither is read']);
  });

  it('lists the missing files as skipped, and loads the rest; scanInput reports them with its skipped files', async () => {
    const dicomdir = disc('some-missing', (root) => {
      rmSync(join(root, 'P1', 'S1', 'IM00003'));
      rmSync(join(root, 'P2'), { recursive: true });
    });
    const { paths, skipped } = await find(dicomdir);
    expect(paths).toEqual(['P1/S1/IM00001', 'P1/S1/IM00002', 'P1/S1/IM00004', 'P1/S1/IM00005']);
    const missing = ['P1/S1/IM00003', 'P2/S1/IM00001', 'P2/S1/IM00002', 'P2/S1/IM00003', 'P2/S1/IM00004'];
    expect(skipped).toEqual(missing.map((p) => `${p}: listed in the DICOMDIR, not on the disc`));
    const scan = await scanInput(dicomdir);
    expect(scan.series.map((s) => s.images)).toEqual([4]);
    expect(scan.skipped.map((s) => s.file).sort()).toEqual(missing.map((p) => join(dicomdir, '..', p)));
  });

  it('refuses a DICOMDIR none of whose files is there with DICOM_NO_IMAGES naming it, from scanInput too', async () => {
    const dicomdir = disc('all-missing', (root) => ['P1', 'P2'].forEach((p) => rmSync(join(root, p), { recursive: true })));
    for (const run of [() => findDicomFiles(dicomdir), () => scanInput(dicomdir)]) {
      const error = (await run().catch((e: unknown) => e)) as AxialError;
      expect(error).toBeInstanceOf(AxialError);
      expect(error.code).toBe('DICOM_NO_IMAGES');
      expect(error.file).toBe(dicomdir);
      expect(error.message).toMatch(/: the files this DICOMDIR references are missing: DICOMDIR lists 9 files; 9 are missing, e\.g\. P1\/S1\/IM0000[1-5]$/);
    }
  });

  it('skips a record that climbs out with .., quoting its file ID once, and loads the other eight', async () => {
    const dicomdir = disc('one-dotdot', (root) => editIds(root, 'one'));
    const { paths, skipped } = await find(dicomdir);
    expect(paths).toHaveLength(images - 1);
    expect(paths.every((p) => /^P[12]\/S1\/IM0000[1-5]$/.test(p))).toBe(true);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/^DICOMDIR: ReferencedFileID '\.\.\/\.\.\/etc\/passwd' resolves to /);
    expect(skipped[0]).not.toMatch(/["\\]/);
    expect(skipped[0]!.split('etc/passwd')).toHaveLength(3);
  });

  it('refuses a DICOMDIR every record of which climbs out, with INPUT_PATH_OUTSIDE_FOLDER', async () => {
    const dicomdir = disc('all-dotdot', (root) => editIds(root, 'all'));
    const error = (await findDicomFiles(dicomdir).catch((e: unknown) => e)) as AxialError;
    expect(error).toBeInstanceOf(AxialError);
    expect(error.code).toBe('INPUT_PATH_OUTSIDE_FOLDER');
    expect(error.message).toMatch(/DICOMDIR: ReferencedFileID '\.\.\/\.\.\/etc\/passwd' resolves to .*, outside the folder /);
  });

  it('reports a DICOMDIR cut short anywhere in its DirectoryRecordSequence as DICOM_TRUNCATED, in plain words', async () => {
    const bytes = readFileSync(join(base, 'DICOMDIR'));
    // (0004,1220) SQ: the records, which run to the end of the file.
    const sequence = bytes.indexOf(Buffer.from([0x04, 0x00, 0x20, 0x12, 0x53, 0x51]));
    expect(sequence).toBeGreaterThan(132);
    const lengths = [...Array.from({ length: Math.ceil((bytes.length - sequence - 1) / 13) }, (_, i) => sequence + 1 + 13 * i), bytes.length - 1];
    const dicomdir = join(scratch, 'cut', 'DICOMDIR');
    cpSync(base, join(scratch, 'cut'), { recursive: true });
    const codes = new Set<string>();
    for (const length of lengths) {
      writeFileSync(dicomdir, bytes.subarray(0, length));
      const error = (await findDicomFiles(dicomdir).catch((e: unknown) => e)) as AxialError;
      codes.add(error.code);
      expect(error.message).toBe(`${dicomdir}: the file ends early, at byte ${length}, in the middle of an element`);
    }
    expect([...codes]).toEqual(['DICOM_TRUNCATED']);
  });
});
