import { AxialError } from '../errors/AxialError.js';
import { philipsScalings, type PhilipsScaling } from '../dicom/philips/applyPhilipsScaling.js';

/** The line every command's usage gives for `--philips-scaling`. */
export const philipsScalingUsage = '--philips-scaling  precise (default, as dcm2niix: FP = (SV·RS + RI)/(RS·SS)) or display (DV = SV·RS + RI) for Philips MR';

/**
 * The value of `--philips-scaling`: precise when absent.
 * @throws AxialError CLI_USAGE for any other word.
 */
export function parsePhilipsScaling(value: string | undefined): PhilipsScaling {
  if (value === undefined) return 'precise';
  if ((philipsScalings as readonly string[]).includes(value)) return value as PhilipsScaling;
  throw new AxialError('CLI_USAGE', `--philips-scaling must be ${philipsScalings.join(' or ')}, got "${value}"`);
}
