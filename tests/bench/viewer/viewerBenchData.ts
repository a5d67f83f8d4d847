import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scanInput } from '../../../main/input/scanInput.js';
import { readNifti } from '../../../main/nifti/readNifti.js';
import { writeNifti } from '../../../main/nifti/writeNifti.js';
import { createVolume, type Volume } from '../../../main/volume/Volume.js';
import { sharedData } from '../../sharedData.js';

export interface ViewerBenchData {
  /** The real CT series (folder) and TotalSegmentator's labels of it. */
  readonly ctSeries: string;
  readonly ctLabels: string;
  /** A 512×512×300 int16 CT as .nii.gz, and a label map on its grid. */
  readonly large: string;
  readonly largeLabels: string;
  /** Where the large volume came from, in words. */
  readonly largeSource: string;
}

const largeDepth = 300;

/**
 * The benchmark's inputs: the real CT series, and a 512×512×300 volume:
 * makeBenchData.py's (`<cache>/nifti/ct.nii.gz`) when present, else the real
 * slices repeated to 300 (or, without ../shared/data, a drawn phantom),
 * written to `scratch`. Its label map (body and bone by threshold) is always
 * written to `scratch`.
 * @throws Error when the real CT series is missing (the frame timings need its labels).
 */
export async function prepareViewerBenchData(scratch: string, cache = '/tmp/axial-bench'): Promise<ViewerBenchData> {
  const ctSeries = sharedData('dicom/ct-abdomen-j2k');
  const ctLabels = sharedData('reference/ct-abdomen-j2k.totalseg-labels.nii.gz');
  if (!existsSync(ctSeries) || !existsSync(ctLabels)) throw new Error(`bench:viewer needs ${ctSeries} and ${ctLabels}`);
  const cached = join(cache, 'nifti', 'ct.nii.gz');
  let large = cached;
  let largeSource = `${cached} (tests/bench/makeBenchData.py: the real 20 slices repeated to 300, dcm2niix)`;
  let volume: Volume;
  if (existsSync(join(cache, 'nifti', '.complete')) && existsSync(cached)) {
    volume = (await readNifti(cached)).volume;
  } else {
    volume = await repeatSlices(ctSeries);
    large = join(scratch, 'ct-512x512x300.nii.gz');
    largeSource = `${large} (generated: the real 20 slices repeated to 300; run tests/bench/makeBenchData.py to use its file)`;
    await writeNifti(volume, large);
  }
  if (volume.dimensions.join() !== `512,512,${largeDepth}`) throw new Error(`${large} is ${volume.dimensions.join('×')}, not 512×512×${largeDepth}`);
  const largeLabels = join(scratch, 'large-labels.nii.gz');
  await writeNifti(thresholdLabels(volume), largeLabels, { intent: 'label' });
  return { ctSeries, ctLabels, large, largeLabels, largeSource };
}

/** The real series' slices, there and back again, to 300 slices at the same spacing. */
async function repeatSlices(series: string): Promise<Volume> {
  const source = (await (await scanInput(series)).series[0]!.load()).volume;
  const [ni, nj, nk] = source.dimensions;
  const plane = ni * nj;
  const voxels = new Int16Array(plane * largeDepth);
  for (let k = 0; k < largeDepth; k++) {
    const cycle = k % (2 * nk);
    const from = cycle < nk ? cycle : 2 * nk - 1 - cycle;
    voxels.set(source.voxels.subarray(from * plane, (from + 1) * plane) as Int16Array, k * plane);
  }
  return createVolume({ ...source, dimensions: [ni, nj, largeDepth], voxels, metadata: { ...source.metadata, format: 'nifti' } });
}

/** 1 where HU > −300 (body), 2 where HU > 200 (bone, contrast): a mask covering much of every slice. */
function thresholdLabels(volume: Volume): Volume {
  const labels = new Uint8Array(volume.voxels.length);
  for (let n = 0; n < labels.length; n++) {
    const v = volume.voxels[n]!;
    labels[n] = v > 200 ? 2 : v > -300 ? 1 : 0;
  }
  return createVolume({ ...volume, voxels: labels, metadata: { format: 'nifti', windowPresets: [], fileCount: 1 } });
}
