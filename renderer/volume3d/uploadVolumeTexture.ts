import type { LoadedVolume } from '../data/LoadedVolume.js';
import { accumulateBlockRanges, createBlockRanges, type BlockRanges } from './blockRanges.js';
import { Volume3dError } from './createGlProgram.js';
import { halfFloatEncoder, valueEncodingOf, type ValueEncoding } from './halfFloatEncoder.js';

/** A volume on the GPU, linearly filtered, and the value range of each block of voxels (for skipping empty space). */
export interface VolumeTexture {
  readonly texture: WebGLTexture;
  /** R32F where the GPU filters float textures linearly (OES_texture_float_linear), else R16F. */
  readonly format: 'r32f' | 'r16f';
  /** stored = (value − offset) · scale (the identity for R32F). */
  readonly encoding: ValueEncoding;
  readonly blocks: BlockRanges;
}

/** Bytes converted and sent per step; the page stays responsive between steps. */
const chunkBytes = 16 * 2 ** 20;
/** Voxels per side of a block of the empty-space map. */
export const blockSize = 8;

/**
 * Sends a volume's voxels to a new 3D texture, a few slices per task,
 * reporting the fraction done, and gathers each block's value range on the
 * way. R32F is preferred: SwiftShader filters it about twice as fast as
 * R16F (whose linear filtering WebGL2 guarantees, so it is the fallback,
 * encoded to fit half floats). Resolves with null when `cancelled()` turns
 * true between steps (the texture is then deleted).
 * @throws Volume3dError (VOLUME3D_TOO_LARGE) when a dimension exceeds MAX_3D_TEXTURE_SIZE.
 */
export async function uploadVolumeTexture(
  gl: WebGL2RenderingContext,
  volume: LoadedVolume,
  onProgress: (fraction: number) => void,
  cancelled: () => boolean,
): Promise<VolumeTexture | null> {
  const dims = volume.header.dimensions;
  const [ni, nj, nk] = dims;
  const limit = gl.getParameter(gl.MAX_3D_TEXTURE_SIZE) as number;
  if (Math.max(ni, nj, nk) > limit) {
    throw new Volume3dError('VOLUME3D_TOO_LARGE', `the volume (${ni}×${nj}×${nk}) exceeds this GPU's largest 3D texture (${limit} per side)`);
  }
  const format = gl.getExtension('OES_texture_float_linear') ? 'r32f' : 'r16f';
  const encoding = format === 'r32f' ? { offset: 0, scale: 1 } : valueEncodingOf(volume.header.range);
  const texture = gl.createTexture()!;
  gl.bindTexture(gl.TEXTURE_3D, texture);
  gl.texStorage3D(gl.TEXTURE_3D, 1, format === 'r32f' ? gl.R32F : gl.R16F, ni, nj, nk);
  setFilter(gl, gl.TEXTURE_3D, gl.LINEAR);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  const sliceVoxels = ni * nj;
  const bytesPerVoxel = format === 'r32f' ? 4 : 2;
  const slicesPerChunk = Math.max(1, Math.floor(chunkBytes / bytesPerVoxel / sliceVoxels));
  const fill = chunkFiller(volume, format, encoding, sliceVoxels * slicesPerChunk);
  const blocks = createBlockRanges(dims, blockSize);
  for (let k = 0; k < nk; k += slicesPerChunk) {
    if (cancelled()) {
      gl.deleteTexture(texture);
      return null;
    }
    const count = Math.min(slicesPerChunk, nk - k);
    const part = fill(k * sliceVoxels, (k + count) * sliceVoxels);
    gl.bindTexture(gl.TEXTURE_3D, texture);
    gl.texSubImage3D(gl.TEXTURE_3D, 0, 0, 0, k, ni, nj, count, gl.RED, format === 'r32f' ? gl.FLOAT : gl.HALF_FLOAT, part);
    accumulateBlockRanges(volume.voxels, blocks, k, k + count);
    onProgress((k + count) / nk);
    if (k + count < nk) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (cancelled()) {
    gl.deleteTexture(texture);
    return null;
  }
  return { texture, format, encoding, blocks };
}

/** Converts voxels [from, to) into a reused buffer of the texture's type. */
function chunkFiller(
  volume: LoadedVolume,
  format: 'r32f' | 'r16f',
  encoding: ValueEncoding,
  size: number,
): (from: number, to: number) => Float32Array | Uint16Array {
  const { voxels } = volume;
  if (format === 'r32f') {
    const buffer = new Float32Array(size);
    return (from, to) => {
      const part = buffer.subarray(0, to - from);
      part.set(voxels.subarray(from, to));
      return part;
    };
  }
  const buffer = new Uint16Array(size);
  const encode = halfFloatEncoder(voxels, encoding);
  return (from, to) => {
    const part = buffer.subarray(0, to - from);
    encode(from, to, part);
    return part;
  };
}

/** Sets a texture's min and mag filter and clamps it to its edges. */
export function setFilter(gl: WebGL2RenderingContext, target: number, filter: number): void {
  gl.texParameteri(target, gl.TEXTURE_MIN_FILTER, filter);
  gl.texParameteri(target, gl.TEXTURE_MAG_FILTER, filter);
  gl.texParameteri(target, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(target, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  if (target === gl.TEXTURE_3D) gl.texParameteri(target, gl.TEXTURE_WRAP_R, gl.CLAMP_TO_EDGE);
}
