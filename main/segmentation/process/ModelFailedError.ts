import { AxialError } from '../../errors/AxialError.js';

/**
 * A failure of the model itself, not of the input it was given: its files could not be read, or its session could not
 * be opened on the device asked for. The inference process says which (a MODEL_INVALID or MODEL_UNSUPPORTED also comes
 * from one input, as MONAI's CropForegroundd finding no foreground), so a batch stops on these alone.
 */
export class ModelFailedError extends AxialError {}
