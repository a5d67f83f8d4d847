import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { Rgba } from '../display/labelColours.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { markLabelBlocks } from './blockOccupancy.js';
import type { BlockRanges } from './blockRanges.js';
import { stepOpacity } from './transferTable.js';
import { setFilter } from './uploadVolumeTexture.js';
import { writeLabelCodes } from './writeLabelCodes.js';
import { reducedLabelCodes, type LabelReduction } from './reducedLabelCodes.js';

/**
 * The label map on the GPU: one integer 3D texture of display codes (R8UI,
 * or R16UI past code 255), sampled nearest, and a 1-row RGBA8 texture of
 * the codes' colours. A CPU copy of the codes lets a new revision resend
 * only the slices that changed, and keeps per block whether it holds a
 * label (so the rays do not skip it).
 */
export class LabelTexture {
  private codes: Uint8Array | Uint16Array | null = null;
  private dims: Vec3 = [1, 1, 1];
  private source: LabelDisplay | null = null;
  private codeTexture: WebGLTexture;
  private colourTexture: WebGLTexture;
  private colourCount = 0;
  private colourTable: readonly Rgba[] = [[0, 0, 0, 0]];
  private colourMaxCode = 0;
  private step = 1;
  private blockFlags: Uint8Array | null = null;
  private changes = 0;

  constructor(private readonly gl: WebGL2RenderingContext) {
    this.codeTexture = this.allocate([1, 1, 1], false);
    gl.texSubImage3D(gl.TEXTURE_3D, 0, 0, 0, 0, 1, 1, 1, gl.RED_INTEGER, gl.UNSIGNED_BYTE, new Uint8Array(1));
    this.colourTexture = gl.createTexture()!;
    this.uploadColours();
  }

  get codesTexture(): WebGLTexture {
    return this.codeTexture;
  }

  get coloursTexture(): WebGLTexture {
    return this.colourTexture;
  }

  /** Per block of `grid` (see sync), 1 where a voxel holds a label. */
  get labelBlocks(): Uint8Array | null {
    return this.source ? this.blockFlags : null;
  }

  /** Counts the syncs that changed a code (or dropped the labels). */
  get version(): number {
    return this.changes;
  }

  /**
   * Brings the codes texture in line with `labels` on the grid of `grid`
   * (nothing to do when it is the object last synced). With `reduction` (the
   * volume reduced for the 3D view, see downsamplePlan) each code is the
   * largest of the block of label voxels it covers, so a structure thinner
   * than a block still shows. Returns the number of slices sent.
   */
  sync(labels: LabelDisplay | null, grid: Pick<BlockRanges, 'dims' | 'blockSize' | 'blocks'>, reduction?: LabelReduction): number {
    if (labels === this.source) return 0;
    this.source = labels;
    this.changes++;
    if (!labels) return 0;
    const codesOf = reduction
      ? reducedLabelCodes(labels, grid.dims, reduction)
      : (codes: Uint8Array | Uint16Array, k: number): boolean => {
          const sliceVoxels = grid.dims[0] * grid.dims[1];
          return writeLabelCodes(labels, codes, k * sliceVoxels, (k + 1) * sliceVoxels);
        };
    const { dims } = grid;
    const wide = labels.maxCode > 255;
    const sameGrid = this.codes !== null && this.dims.every((n, a) => n === dims[a]) && this.codes instanceof Uint16Array === wide;
    const sliceVoxels = dims[0] * dims[1];
    if (!sameGrid) {
      this.gl.deleteTexture(this.codeTexture);
      this.codeTexture = this.allocate(dims, wide);
      this.dims = dims;
      this.codes = wide ? new Uint16Array(sliceVoxels * dims[2]) : new Uint8Array(sliceVoxels * dims[2]);
      for (let k = 0; k < dims[2]; k++) codesOf(this.codes, k);
      this.send(0, dims[2]);
      this.blockFlags = new Uint8Array(grid.blocks[0] * grid.blocks[1] * grid.blocks[2]);
      markLabelBlocks(this.codes, grid, 0, dims[2], this.blockFlags);
      return dims[2];
    }
    let sent = 0;
    let runStart = -1;
    for (let k = 0; k <= dims[2]; k++) {
      const changed = k < dims[2] && codesOf(this.codes!, k);
      if (changed && runStart < 0) runStart = k;
      if (!changed && runStart >= 0) {
        this.send(runStart, k);
        markLabelBlocks(this.codes!, grid, runStart, k, this.blockFlags!);
        sent += k - runStart;
        runStart = -1;
      }
    }
    return sent;
  }

  /**
   * The colour of each display code (entries 0 … maxCode of a labelColours
   * table, whose alpha — the segments' opacity — is taken per mm of ray).
   */
  setColours(table: readonly Rgba[], maxCode: number): void {
    if (table === this.colourTable && maxCode === this.colourMaxCode) return;
    this.colourTable = table;
    this.colourMaxCode = maxCode;
    this.uploadColours();
  }

  /** The ray step the colours' opacities are for, in units of the opacities' length (opacityUnitMm). */
  setStep(step: number): void {
    if (step === this.step) return;
    this.step = step;
    this.uploadColours();
  }

  private uploadColours(): void {
    const { gl, colourTable: table } = this;
    const count = Math.min(this.colourMaxCode + 1, table.length, gl.getParameter(gl.MAX_TEXTURE_SIZE) as number);
    const rgba = new Uint8Array(Math.max(1, count) * 4);
    for (let n = 0; n < count; n++) {
      const [r, g, b, a] = table[n]!;
      rgba.set([r, g, b, a > 0 ? Math.max(1, Math.round(255 * stepOpacity(Math.min(a / 255, 0.999), this.step))) : 0], n * 4);
    }
    gl.bindTexture(gl.TEXTURE_2D, this.colourTexture);
    if (count !== this.colourCount) {
      gl.deleteTexture(this.colourTexture);
      this.colourTexture = gl.createTexture()!;
      gl.bindTexture(gl.TEXTURE_2D, this.colourTexture);
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, Math.max(1, count), 1);
      setFilter(gl, gl.TEXTURE_2D, gl.NEAREST);
      this.colourCount = count;
    }
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, Math.max(1, count), 1, gl.RGBA, gl.UNSIGNED_BYTE, rgba);
  }

  destroy(): void {
    this.gl.deleteTexture(this.codeTexture);
    this.gl.deleteTexture(this.colourTexture);
    this.codes = null;
  }

  private allocate(dims: Vec3, wide: boolean): WebGLTexture {
    const { gl } = this;
    const texture = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_3D, texture);
    gl.texStorage3D(gl.TEXTURE_3D, 1, wide ? gl.R16UI : gl.R8UI, dims[0], dims[1], dims[2]);
    setFilter(gl, gl.TEXTURE_3D, gl.NEAREST);
    return texture;
  }

  /** Sends slices [from, to) of the codes. */
  private send(from: number, to: number): void {
    const { gl, codes, dims } = this;
    const sliceVoxels = dims[0] * dims[1];
    gl.bindTexture(gl.TEXTURE_3D, this.codeTexture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    const type = codes instanceof Uint16Array ? gl.UNSIGNED_SHORT : gl.UNSIGNED_BYTE;
    gl.texSubImage3D(gl.TEXTURE_3D, 0, 0, 0, from, dims[0], dims[1], to - from, gl.RED_INTEGER, type, codes!.subarray(from * sliceVoxels, to * sliceVoxels));
  }
}
