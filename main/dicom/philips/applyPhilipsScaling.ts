import type { DicomInstance } from '../DicomInstance.js';
import { philipsPreciseMap } from './philipsPreciseMap.js';

/**
 * Which of a Philips MR file's values a volume holds: `precise`, the floating-point values
 * FP = (SV·RS + RI)/(RS·SS) that dcm2niix writes by default (`-p y`), comparable across scans;
 * or `display`, DV = SV·RS + RI, the values the scanner's console shows (dcm2niix `-p n`).
 */
export type PhilipsScaling = 'precise' | 'display';

export const philipsScalings: readonly PhilipsScaling[] = ['precise', 'display'];

/** The units a Philips volume reports, so every tool that shows them says which values these are. */
export const philipsUnits: Readonly<Record<PhilipsScaling, string>> = {
  precise: 'Philips FP (precise)',
  display: 'Philips DV (display)',
};

/**
 * A Philips instance with the scaling chosen: for `precise`, each frame that has a private scale
 * slope gets the slope and intercept that give its FP values ({@link philipsPreciseMap}); for
 * `display`, RescaleSlope/RescaleIntercept are kept. Either way its rescaleType, which becomes the
 * volume's units, names the values. Instances without a Philips scale slope come back unchanged.
 */
export function applyPhilipsScaling(instance: DicomInstance, scaling: PhilipsScaling): DicomInstance {
  if (!instance.frames.some((frame) => frame.philipsScaleSlope !== undefined)) return instance;
  const frames =
    scaling === 'display'
      ? instance.frames
      : instance.frames.map((frame) => {
          const map = frame.philipsScaleSlope === undefined ? undefined : philipsPreciseMap(frame.slope, frame.intercept, frame.philipsScaleSlope);
          return map ? { ...frame, slope: map.slope, intercept: map.intercept } : frame;
        });
  return { ...instance, frames, rescaleType: philipsUnits[scaling] };
}
