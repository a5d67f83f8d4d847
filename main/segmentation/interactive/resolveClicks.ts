import type { Vec3 } from '../../../core/geometry/types.js';
import { AxialError } from '../../errors/AxialError.js';
import type { Volume } from '../../volume/Volume.js';
import type { InteractiveSpec, ModelSpec } from '../ModelSpec.js';
import type { ClickPoint } from './ClickPoint.js';
import { clickVoxel } from './clickVoxel.js';

/** A click on the scan: its voxel and the guidance channel (label name) it goes to. */
export interface ResolvedClick {
  readonly voxel: Vec3;
  readonly labelName: string;
}

const mm = (world: Vec3): string => world.map((v) => v.toFixed(1)).join(', ');

/**
 * The spec's interactive part, after checking that Axial can run the model with clicks: a DeepEdit model with
 * one image channel, Orientationd and intensity steps only (no Spacingd or crops: the spleen DeepEdit bundle has
 * none), SimpleInferer, and an Invertd wherever Resized changes the size.
 * @throws AxialError MODEL_UNSUPPORTED for anything else, or when the model is not interactive and clicks were given;
 *   CLICK_INVALID for clicks to a config that discards its guidance (DiscardAddGuidanced alone).
 */
export function interactiveSpecOf(spec: ModelSpec, clicks: number): InteractiveSpec | undefined {
  const file = spec.modelPath;
  if (spec.unsupported.length > 0) {
    const list = spec.unsupported.map((u) => `${u.name} at ${u.path}: ${u.reason}`).join('; ');
    throw new AxialError('MODEL_UNSUPPORTED', `${spec.name} needs what Axial does not run: ${list}`, { file });
  }
  const interactive = spec.interactive;
  if (!interactive) {
    if (clicks > 0) throw new AxialError('MODEL_UNSUPPORTED', `${spec.name} takes no clicks: it is not a DeepEdit (interactive) model`, { file });
    return undefined;
  }
  const refuse = (why: string): never => {
    throw new AxialError('MODEL_UNSUPPORTED', `${spec.name}: ${why}`, { file });
  };
  // A config that discards its guidance (DiscardAddGuidanced alone) runs the model without clicks: refused, not ignored.
  if (clicks > 0 && interactive.discardGuidance) {
    throw new AxialError('CLICK_INVALID', `${spec.name} runs its model without clicks (DiscardAddGuidanced, no AddGuidanceSignalDeepEditd)`, { file });
  }
  if (interactive.intensityChannels !== 1) refuse(`${interactive.intensityChannels} image channels; Axial feeds one`);
  const spatial = spec.preprocessing.find((s) => s.kind === 'Spacingd' || s.kind === 'ResizeWithPadOrCropd' || s.kind === 'CropForegroundd');
  if (spatial) refuse(`${spatial.kind} in a DeepEdit pipeline; Axial moves clicks through Orientationd and Resized only`);
  if (spec.inferer.roiSize.some((r) => r !== 0)) refuse('a sliding window over image and guidance channels; Axial runs DeepEdit models with SimpleInferer');
  if (interactive.spatialSize && !spec.postprocessing.some((s) => s.kind === 'Invertd')) refuse('Resized without Invertd leaves labels on the network grid');
  const discrete = spec.postprocessing.find((s) => s.kind === 'AsDiscreted');
  if (discrete?.kind === 'AsDiscreted' && !discrete.argmax) refuse('AsDiscreted without argmax');
  return interactive;
}

/**
 * Each click's voxel and label name: foreground clicks go to `label` or the first label name that is not
 * background, background clicks to the background name.
 * @throws AxialError CLICK_INVALID for a click outside the scan, an unknown label name, or a background click
 *   on a model without a background guidance channel.
 */
export function resolveClicks(volume: Volume, interactive: InteractiveSpec, points: readonly ClickPoint[]): ResolvedClick[] {
  const foreground = interactive.labelNames.filter((n) => n !== interactive.backgroundName);
  return points.map((p, n) => {
    const voxel = clickVoxel(volume, p.world);
    const which = `click ${n + 1} (${p.kind} at ${mm(p.world)} mm)`;
    if (voxel === undefined) {
      throw new AxialError('CLICK_INVALID', `${which} is outside the scan (${volume.dimensions.join('×')} voxels)`);
    }
    if (p.kind === 'bg') {
      if (interactive.backgroundName === null) throw new AxialError('CLICK_INVALID', `${which}: the model has no background guidance`);
      return { voxel, labelName: interactive.backgroundName };
    }
    const labelName = p.label ?? foreground[0];
    if (labelName === undefined || !foreground.includes(labelName)) {
      throw new AxialError('CLICK_INVALID', `${which}: the model's labels are ${foreground.join(', ')}`);
    }
    return { voxel, labelName };
  });
}
