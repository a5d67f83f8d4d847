import { readNiftiTimeAxis } from './readNiftiTimeAxis.js';

/**
 * How many 3D volumes a NIfTI file holds (its time points), from its header, but never more than its
 * bytes can hold (a truncated or hostile header cannot put a billion steps on the time slider); 1 when
 * the header cannot be read here (loading the file then says why).
 */
export async function niftiVolumeCount(path: string, fileSize: number): Promise<number> {
  return (await readNiftiTimeAxis(path, fileSize)).timePoints;
}
