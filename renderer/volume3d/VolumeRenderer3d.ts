import type { LabelDisplay } from '../display/labelDisplayOf.js';
import type { Rgba } from '../display/labelColours.js';
import type { VoiWindow } from '../display/windowPresets.js';
import type { Vec3, VolumeGeometry } from '../../core/geometry/types.js';
import type { LoadedVolume } from '../data/LoadedVolume.js';
import { clipBoxOf, type ClipRange } from './clipRange.js';
import { createGlProgram, Volume3dError } from './createGlProgram.js';
import { LabelTexture } from './LabelTexture.js';
import type { OrbitCamera } from './orbitCamera.js';
import { fragmentShaderSource, vertexShader, type RayCastOptions } from './rayCastShaders.js';
import { rayGeometry, safeStep, type RayGeometry } from './rayGeometry.js';
import { blockOccupancy } from './blockOccupancy.js';
import { downsamplePlan } from './downsamplePlan.js';
import { downsampleVolume, type Reduced3d } from './downsampleVolume.js';
import { transferTable, type TransferTable } from './transferTable.js';
import { reducedClipBox, screenFromSourceIndex } from './sourceIndexMap.js';
import { setFilter, uploadVolumeTexture, type VolumeTexture } from './uploadVolumeTexture.js';
import type { VolumePreset } from './volumePresets.js';

/** What one frame shows. */
export interface Frame3d {
  readonly camera: OrbitCamera;
  readonly clip: ClipRange;
  readonly preset: VolumePreset;
  /** The 2D views' window (the 'window' preset follows it). */
  readonly voi: VoiWindow;
  readonly showLabels: boolean;
  /** The canvas's size in its own pixels. */
  readonly width: number;
  readonly height: number;
  readonly stepMm: number;
  /** The ray step in units of the opacities' length (opacityUnitMm). */
  readonly opacityStep: number;
}

const uniformNames = [
  'u_volume',
  'u_transfer',
  'u_occupancy',
  'u_blockSize',
  'u_labels',
  'u_labelColours',
  'u_dims',
  'u_origin',
  'u_dx',
  'u_dy',
  'u_step',
  'u_invStep',
  'u_clipLo',
  'u_clipHi',
  'u_valueToEntry',
  'u_normalMatrix',
  'u_light',
  'u_maxSteps',
  'u_background',
] as const;
type UniformName = (typeof uniformNames)[number];

/** One compiled variant of the ray caster and where its uniforms are. */
interface RayCastProgram {
  readonly program: WebGLProgram;
  readonly uniforms: Record<UniformName, WebGLUniformLocation | null>;
}

/** What the 3D view says (after "The 3D view is not available: ") while its WebGL context is lost. */
export const contextLostMessage =
  'the graphics processor stopped drawing it; it returns on its own when the graphics processor recovers (if not, choose 1×3, then 2×2)';

/** The view's background (dark blue-grey), RGB 0–1. */
export const background: Vec3 = [0.06, 0.07, 0.09];

/**
 * WebGL2 ray casting of one volume (and its label map) into a canvas. The
 * canvas keeps its drawing buffer, so what was drawn can be read back and
 * saved as PNG at any time.
 */
export class VolumeRenderer3d {
  readonly glRenderer: string;
  private readonly gl: WebGL2RenderingContext;
  private readonly programs = new Map<string, RayCastProgram>();
  private readonly labels: LabelTexture;
  private readonly transfer: WebGLTexture;
  private transferKey = '';
  private table: TransferTable | null = null;
  private readonly occupancy: WebGLTexture;
  private occupancyKey = '';
  private volume: VolumeTexture | null = null;
  private geometry: VolumeGeometry | null = null;
  private reducedGrid: Reduced3d | null = null;
  private uploadToken = 0;

  /** @throws Volume3dError when the canvas has no WebGL2 or the shaders fail. */
  constructor(readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { preserveDrawingBuffer: true, antialias: false, depth: false, alpha: false, premultipliedAlpha: false });
    if (!gl) throw new Volume3dError('VOLUME3D_NO_WEBGL2', 'this system offers no WebGL2 (not even software rendering)');
    this.gl = gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    this.glRenderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    this.programFor({ labels: false, shade: true });
    this.labels = new LabelTexture(gl);
    this.transfer = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, this.transfer);
    setFilter(gl, gl.TEXTURE_2D, gl.NEAREST);
    this.occupancy = gl.createTexture()!;
    gl.bindVertexArray(gl.createVertexArray());
  }

  /** How the volume is stored on the GPU (null before one is). */
  get textureFormat(): 'r32f' | 'r16f' | null {
    return this.volume?.format ?? null;
  }

  /** How the volume was reduced to fit this GPU (null at full resolution or before a volume is ready). */
  get reduced(): Reduced3d | null {
    return this.volume ? this.reducedGrid : null;
  }

  /** The spacing of the grid on the GPU (null before a volume is ready). */
  get gridSpacing(): VolumeGeometry['spacing'] | null {
    return this.geometry?.spacing ?? null;
  }

  /** Whether a volume is on the GPU, ready to draw. */
  get ready(): boolean {
    return this.volume !== null;
  }

  /**
   * Sends a volume to the GPU (replacing the last one), a few slices per
   * task. A volume with a side over MAX_3D_TEXTURE_SIZE, or whose texture
   * would pass textureBudgetBytes, is first box-filtered onto a coarser grid
   * (downsamplePlan; progress: the first half reducing, the second sending).
   * Resolves false when another call superseded this one.
   * @throws Volume3dError (VOLUME3D_CONTEXT_LOST) when the WebGL context is
   * lost: its limits read as null then, and nothing sent would be kept.
   */
  async setVolume(volume: LoadedVolume, onProgress: (fraction: number) => void): Promise<boolean> {
    const token = ++this.uploadToken;
    const cancelled = (): boolean => token !== this.uploadToken;
    if (this.gl.isContextLost()) throw new Volume3dError('VOLUME3D_CONTEXT_LOST', contextLostMessage);
    if (this.volume) this.gl.deleteTexture(this.volume.texture);
    this.volume = null;
    this.geometry = null;
    this.reducedGrid = null;
    this.occupancyKey = '';
    const { gl } = this;
    const bytesPerVoxel = gl.getExtension('OES_texture_float_linear') ? 4 : 2;
    const plan = downsamplePlan(volume.header, gl.getParameter(gl.MAX_3D_TEXTURE_SIZE) as number, bytesPerVoxel);
    let shown = volume;
    let reduced: Reduced3d | null = null;
    if (plan) {
      const done = await downsampleVolume(volume, plan, (fraction) => onProgress(fraction / 2), cancelled);
      if (!done) return false;
      shown = done.volume;
      reduced = { plan, sourceDims: volume.header.dimensions, totalMs: done.totalMs, longestStepMs: done.longestStepMs };
    }
    const uploaded = await uploadVolumeTexture(gl, shown, (fraction) => onProgress(plan ? 0.5 + fraction / 2 : fraction), cancelled);
    if (!uploaded) return false;
    this.volume = uploaded;
    this.geometry = shown.header;
    this.reducedGrid = reduced;
    return true;
  }

  /** Brings the label map and its colours up to date; returns the slices sent. */
  setLabels(labels: LabelDisplay | null, colours: readonly Rgba[] | null): number {
    if (!this.geometry) return 0;
    const sent = this.labels.sync(
      labels,
      this.volume!.blocks,
      this.reducedGrid ? { factors: this.reducedGrid.plan.factors, sourceDims: this.reducedGrid.sourceDims } : undefined,
    );
    if (labels && colours) this.labels.setColours(colours, labels.maxCode);
    return sent;
  }

  /** Draws a frame (queued on the GPU; see finished). Returns its rays, or null before a volume is ready. */
  draw(frame: Frame3d): RayGeometry | null {
    const { gl, geometry, volume } = this;
    if (!geometry || !volume) return null;
    if (this.canvas.width !== frame.width) this.canvas.width = frame.width;
    if (this.canvas.height !== frame.height) this.canvas.height = frame.height;
    const factors = this.reducedGrid?.plan.factors;
    const clip = factors ? reducedClipBox(clipBoxOf(frame.clip), factors) : clipBoxOf(frame.clip);
    const gridRays = rayGeometry({ geometry, camera: frame.camera, width: frame.width, height: frame.height, stepMm: frame.stepMm, clip });
    const rays = factors ? { ...gridRays, screenFromIndex: screenFromSourceIndex(gridRays.screenFromIndex, factors) } : gridRays;
    this.updateTransfer(frame);
    this.updateOccupancy(volume, frame.showLabels);
    gl.viewport(0, 0, frame.width, frame.height);
    const { program, uniforms: u } = this.programFor({ labels: frame.showLabels, shade: frame.preset.shade });
    gl.useProgram(program);
    this.bindTextures(volume, u);
    if (frame.showLabels) this.labels.setStep(frame.opacityStep);
    const { encoding } = volume;
    const { lo, hi, size } = this.table!;
    gl.uniform3fv(u.u_dims, geometry.dimensions);
    gl.uniform3fv(u.u_origin, rays.origin);
    gl.uniform3fv(u.u_dx, rays.dx);
    gl.uniform3fv(u.u_dy, rays.dy);
    gl.uniform3fv(u.u_step, rays.step);
    gl.uniform3fv(
      u.u_invStep,
      rays.step.map((v) => 1 / safeStep(v)),
    );
    gl.uniform3fv(u.u_clipLo, rays.clipLo);
    gl.uniform3fv(u.u_clipHi, rays.clipHi);
    // Entry n is at value lo + n·(hi − lo)/(size − 1); stored values are (value − offset)·scale; + 0.5 rounds to the nearest.
    const perValue = (size - 1) / (hi - lo);
    gl.uniform2f(u.u_valueToEntry, perValue / encoding.scale, (encoding.offset - lo) * perValue + 0.5);
    gl.uniform1f(u.u_blockSize, volume.blocks.blockSize);
    gl.uniformMatrix3fv(u.u_normalMatrix, false, rays.normalMatrix);
    gl.uniform3fv(u.u_light, rays.light);
    gl.uniform1i(u.u_maxSteps, rays.maxSteps);
    gl.uniform3fv(u.u_background, background);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    return rays;
  }

  /** Resolves once the GPU has finished everything queued so far (polled, never blocking the page). */
  finished(): Promise<void> {
    const { gl } = this;
    const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    gl.flush();
    return new Promise((resolve) => {
      const poll = (): void => {
        if (sync && gl.clientWaitSync(sync, 0, 0) === gl.TIMEOUT_EXPIRED) return void setTimeout(poll, 1);
        if (sync) gl.deleteSync(sync);
        resolve();
      };
      setTimeout(poll, 0);
    });
  }

  /** The canvas's pixels, RGBA, top row first (waits for the GPU). */
  readPixels(): { width: number; height: number; rgba: Uint8Array } {
    const { gl } = this;
    const { width, height } = this.canvas;
    const flipped = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, flipped);
    const rgba = new Uint8Array(flipped.length);
    const row = width * 4;
    for (let y = 0; y < height; y++) rgba.set(flipped.subarray((height - 1 - y) * row, (height - y) * row), y * row);
    return { width, height, rgba };
  }

  /** Blocks until the GPU is done, by reading one pixel back. */
  waitSync(): void {
    this.gl.readPixels(0, 0, 1, 1, this.gl.RGBA, this.gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  /** The canvas as PNG bytes. */
  async toPng(): Promise<Uint8Array<ArrayBuffer>> {
    const blob = await new Promise<Blob | null>((resolve) => this.canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the 3D view could not be encoded as PNG');
    return new Uint8Array(await blob.arrayBuffer());
  }

  /**
   * Lets go of a renderer whose context was lost and has been restored: its
   * GPU objects went with the old context (deleting them now would only
   * raise WebGL errors), and the restored context stays for the next
   * renderer on the same canvas. Stops any upload in progress.
   */
  abandon(): void {
    this.uploadToken++;
    this.volume = null;
    this.geometry = null;
    this.programs.clear();
  }

  destroy(): void {
    this.uploadToken++;
    const { gl } = this;
    if (this.volume) gl.deleteTexture(this.volume.texture);
    this.volume = null;
    this.labels.destroy();
    gl.deleteTexture(this.transfer);
    gl.deleteTexture(this.occupancy);
    for (const { program } of this.programs.values()) gl.deleteProgram(program);
    this.programs.clear();
    // Browsers keep only a few contexts alive; give this one back now rather than at garbage collection.
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }

  /**
   * The program for a set of options, compiled on first use.
   * @throws Volume3dError when it does not compile.
   */
  private programFor(options: RayCastOptions): RayCastProgram {
    const key = `${options.labels}|${options.shade}`;
    let entry = this.programs.get(key);
    if (!entry) {
      const { gl } = this;
      const program = createGlProgram(gl, vertexShader, fragmentShaderSource(options));
      const uniforms = Object.fromEntries(uniformNames.map((name) => [name, gl.getUniformLocation(program, name)])) as Record<
        UniformName,
        WebGLUniformLocation | null
      >;
      entry = { program, uniforms };
      this.programs.set(key, entry);
    }
    return entry;
  }

  private updateTransfer(frame: Frame3d): void {
    const points = frame.preset.points(frame.voi);
    const key = `${frame.preset.id}|${frame.opacityStep}|${JSON.stringify(points)}`;
    if (key === this.transferKey) return;
    const table = transferTable(points, frame.opacityStep);
    const { gl } = this;
    gl.bindTexture(gl.TEXTURE_2D, this.transfer);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA16F, table.size, 1, 0, gl.RGBA, gl.FLOAT, table.rgba);
    this.transferKey = key;
    this.table = table;
  }

  /** Which blocks the rays must sample, for the transfer function and labels shown. */
  private updateOccupancy(volume: VolumeTexture, showLabels: boolean): void {
    const labelBlocks = showLabels ? this.labels.labelBlocks : null;
    const key = `${this.transferKey}|${labelBlocks ? this.labels.version : -1}`;
    if (key === this.occupancyKey) return;
    const { gl } = this;
    const [bi, bj, bk] = volume.blocks.blocks;
    gl.bindTexture(gl.TEXTURE_3D, this.occupancy);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage3D(gl.TEXTURE_3D, 0, gl.R8UI, bi, bj, bk, 0, gl.RED_INTEGER, gl.UNSIGNED_BYTE, blockOccupancy(volume.blocks, this.table!, labelBlocks));
    setFilter(gl, gl.TEXTURE_3D, gl.NEAREST);
    this.occupancyKey = key;
  }

  private bindTextures(volume: VolumeTexture, u: Record<UniformName, WebGLUniformLocation | null>): void {
    const { gl } = this;
    const units: [number, number, WebGLTexture, WebGLUniformLocation | null][] = [
      [0, gl.TEXTURE_3D, volume.texture, u.u_volume],
      [1, gl.TEXTURE_2D, this.transfer, u.u_transfer],
      [4, gl.TEXTURE_3D, this.occupancy, u.u_occupancy],
      [2, gl.TEXTURE_3D, this.labels.codesTexture, u.u_labels],
      [3, gl.TEXTURE_2D, this.labels.coloursTexture, u.u_labelColours],
    ];
    for (const [unit, target, texture, location] of units) {
      gl.activeTexture(gl.TEXTURE0 + unit);
      gl.bindTexture(target, texture);
      if (location) gl.uniform1i(location, unit);
    }
    gl.activeTexture(gl.TEXTURE0);
  }
}
