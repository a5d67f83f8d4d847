import type { LabelArray } from '../../core/labels/LabelArray.js';
import type { MaskHeader, VolumeHeader } from '../../core/contract.js';
import type { LoadedVolume } from './LoadedVolume.js';
import { storedPixelFormat } from './storedPixels.js';
import { readBodyInto } from './readBodyInto.js';
import { bytesPerVoxel, toVoxelArray, VoxelDataError } from './voxelArray.js';

/** A segmentation on a volume's grid, as main sent it: its label layers, i fastest. */
export interface LoadedMask {
  readonly header: MaskHeader;
  readonly layers: LabelArray[];
}

/**
 * Fetches a volume's voxels.
 * @throws VoxelDataError when the bytes don't match the header; the fetch's own error otherwise.
 */
export async function loadVolume(header: VolumeHeader): Promise<LoadedVolume> {
  const [ni, nj, nk] = header.dimensions;
  const count = ni * nj * nk;
  const voxels = toVoxelArray(await fetchBytes(header.dataUrl, count * bytesPerVoxel(header.dataType)), header.dataType, count);
  return { header, voxels, format: storedPixelFormat(header.dataType, header.range) };
}

/**
 * Fetches a segmentation's label layers; they must lie on the volume's grid.
 * @throws VoxelDataError when the bytes don't match the volume's grid.
 */
export async function loadMask(header: MaskHeader, volume: VolumeHeader): Promise<LoadedMask> {
  const [ni, nj, nk] = volume.dimensions;
  const layers = await Promise.all(
    header.layers.map(async ({ dataUrl, dataType }) => {
      const count = ni * nj * nk;
      const labels = toVoxelArray(await fetchBytes(dataUrl, count * bytesPerVoxel(dataType)), dataType, count);
      if (!(labels instanceof Uint8Array) && !(labels instanceof Uint16Array)) throw new VoxelDataError('label maps must be uint8 or uint16');
      return labels;
    }),
  );
  return { header, layers };
}

/**
 * A header's voxels, fetched by the page itself (the app's axial-data: scheme,
 * or the test host's /data URL): through the context bridge they would be copied again.
 * The body is streamed into one buffer of `expectedBytes` (see readBodyInto), not read with
 * arrayBuffer(), which holds the body twice while it assembles it: for a 1.2 GB volume that was
 * the page's peak memory.
 * @throws Error when the data is gone (404) or the scheme refuses the request; VoxelDataError
 * (see readBodyInto) when the response declares or carries another byte count.
 */
async function fetchBytes(dataUrl: string, expectedBytes: number): Promise<ArrayBuffer> {
  const response = await fetch(dataUrl);
  if (!response.ok) throw new Error(`cannot fetch ${dataUrl}: ${response.status}`);
  return readBodyInto(response, expectedBytes);
}
