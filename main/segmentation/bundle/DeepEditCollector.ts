import type { InteractiveSpec, UnsupportedItem } from '../ModelSpec.js';
import { isBundleObject, type BundleObject, type BundleValue } from './BundleValue.js';
import { exactly3, TransformArgs, TransformProblem } from './TransformArgs.js';

/** The largest AddGuidanceSignalDeepEditd sigma read, in network voxels (MONAI's default is 3; the grid is at most 256³ here). */
const maxSigma = 256;
/** MONAI's DeepEdit click transforms (monai/apps/deepedit/transforms.py), and Resized, which they resize clicks beside. */
const deepEditNames = new Set([
  'AddGuidanceFromPointsDeepEditd',
  'ResizeGuidanceMultipleLabelDeepEditd',
  'AddGuidanceSignalDeepEditd',
  'DiscardAddGuidanced',
  'Resized',
]);

/** The model zoo's spleen_deepedit_annotation ships this in its scripts/: it moves clicks through Orientationd, as Axial always does. */
const orientationGuidance = 'OrientationGuidanceMultipleLabelDeepEditd';

function labelNamesOf(value: BundleValue | undefined, what: string): { names: string[]; background: string | null } {
  if (isBundleObject(value)) {
    const entries = Object.entries(value as BundleObject);
    if (entries.length === 0 || entries.some(([, v]) => typeof v !== 'number')) throw new TransformProblem(`${what} must map label names to numbers`);
    return { names: entries.map(([k]) => k), background: entries.find(([, v]) => v === 0)?.[0] ?? null };
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    const names = value as string[];
    return { names, background: names.includes('background') ? 'background' : null };
  }
  throw new TransformProblem(`${what} must be a {name: value} object or a list of names`);
}

/**
 * Gathers a DeepEdit bundle's click transforms from its preprocessing into an
 * {@link InteractiveSpec}. Each MONAI default named here is the one in
 * monai/apps/deepedit/transforms.py (MONAI 1.4): sigma 3, number_intensity_ch 1,
 * DiscardAddGuidanced's probability 1.
 */
export class DeepEditCollector {
  private labelNames: { names: string[]; background: string | null } | null = null;
  private sigma: number | null = null;
  private intensityChannels = 1;
  private spatialSize: [number, number, number] | null = null;
  /** Preprocessing steps mapped before Resized; any step after it would run on the resized image. */
  private stepsBeforeResize: number | null = null;
  private discard = false;
  readonly unsupported: UnsupportedItem[] = [];
  readonly ignored: string[] = [];

  constructor(private readonly imageKey: string) {}

  /** True for the transforms that make a pipeline a DeepEdit one: those that take clicks or zero their guidance. */
  static isClickTransform(name: string): boolean {
    return name === 'AddGuidanceFromPointsDeepEditd' || name === 'AddGuidanceSignalDeepEditd' || name === 'DiscardAddGuidanced';
  }

  /** True for the transforms this collector maps, by class name or (for the zoo's script) by its last name. */
  static accepts(name: string, target: string): boolean {
    return deepEditNames.has(name) || target.endsWith(`.${orientationGuidance}`) || target === orientationGuidance;
  }

  /** Maps one transform; a problem becomes an unsupported item at `path`. */
  add(name: string, value: BundleObject, path: string, stepsSoFar: number): void {
    try {
      const a = new TransformArgs(value, null);
      this.map(name.endsWith(orientationGuidance) ? orientationGuidance : name, a, stepsSoFar);
      a.finish();
    } catch (error) {
      if (!(error instanceof TransformProblem)) throw error;
      this.unsupported.push({ path, name, reason: error.message });
    }
  }

  private map(name: string, a: TransformArgs, stepsSoFar: number): void {
    switch (name) {
      case orientationGuidance:
        a.ignore('ref_image', 'label_names');
        this.ignored.push(`${name} (Axial maps every click through the image's own orientation)`);
        return;
      case 'AddGuidanceFromPointsDeepEditd':
        this.requireImage(a, 'ref_image');
        a.ignore('guidance', 'meta_keys', 'meta_key_postfix');
        this.labelNames = labelNamesOf(a.raw('label_names'), 'label_names');
        return;
      case 'ResizeGuidanceMultipleLabelDeepEditd':
        this.requireImage(a, 'ref_image');
        a.ignore('guidance');
        return;
      case 'AddGuidanceSignalDeepEditd':
        a.ignore('guidance');
        this.sigma = a.number('sigma', 3);
        // A sigma past the network grid's size makes a kernel of millions of taps (1e9: an allocation that fails) for a flat signal.
        if (!(this.sigma > 0 && this.sigma <= maxSigma)) throw new TransformProblem(`sigma ${this.sigma} is not between 0 and ${maxSigma} voxels`);
        this.intensityChannels = this.channels(a);
        return;
      case 'DiscardAddGuidanced':
        this.intensityChannels = this.channels(a);
        if (a.number('probability', 1) < 1) throw new TransformProblem('a discard probability below 1 is random, which has no place in inference');
        if (a.raw('label_names') !== undefined) this.labelNames = labelNamesOf(a.raw('label_names'), 'label_names');
        this.discard = true;
        return;
      case 'Resized':
        this.resized(a, stepsSoFar);
        return;
    }
  }

  private resized(a: TransformArgs, stepsSoFar: number): void {
    const size = exactly3(a.numbers('spatial_size'), 'spatial_size');
    if (size.some((v) => !(Number.isInteger(v) && v > 0))) throw new TransformProblem(`spatial_size [${size.join(', ')}] must be positive whole numbers`);
    a.requireDefault('mode', ['area'], 'Axial resizes with mode "area" (adaptive average pooling) only');
    a.requireDefault('size_mode', ['all']);
    a.requireDefault('anti_aliasing', [false]);
    a.requireDefault('align_corners', [null]);
    a.ignore('dtype', 'lazy', 'anti_aliasing_sigma');
    this.spatialSize = size;
    this.stepsBeforeResize = stepsSoFar;
  }

  private channels(a: TransformArgs): number {
    const n = a.number('number_intensity_ch', 1);
    if (!(Number.isInteger(n) && n >= 1)) throw new TransformProblem(`number_intensity_ch ${n} is not a whole number from 1`);
    return n;
  }

  private requireImage(a: TransformArgs, name: string): void {
    const ref = a.string(name, this.imageKey);
    if (ref !== this.imageKey) throw new TransformProblem(`${name} "${ref}" is not the image "${this.imageKey}"`);
  }

  /**
   * The interactive spec, or undefined when the preprocessing has no DeepEdit transforms.
   * `steps` is the number of preprocessing steps mapped in all.
   */
  finish(steps: number): InteractiveSpec | undefined {
    const guided = this.sigma !== null || this.discard;
    if (!guided) {
      if (this.spatialSize !== null)
        this.unsupported.push({ path: 'preprocessing', name: 'Resized', reason: 'Axial runs Resized only in a DeepEdit pipeline' });
      return undefined;
    }
    if (this.labelNames === null) {
      this.unsupported.push({ path: 'preprocessing', name: 'label_names', reason: 'no AddGuidanceFromPointsDeepEditd names the labels that clicks guide' });
      return undefined;
    }
    if (this.stepsBeforeResize !== null && this.stepsBeforeResize < steps) {
      this.unsupported.push({ path: 'preprocessing', name: 'Resized', reason: 'a transform after Resized; Axial resizes last' });
    }
    return {
      labelNames: this.labelNames.names,
      backgroundName: this.labelNames.background,
      intensityChannels: this.intensityChannels,
      sigma: this.sigma ?? 3,
      spatialSize: this.spatialSize,
      discardGuidance: this.discard && this.sigma === null,
    };
  }
}
