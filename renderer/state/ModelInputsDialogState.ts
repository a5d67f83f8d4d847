import type { ModelInputs } from '../../core/contract.js';
import type { DeviceChoice } from '../api/gpuDevice.js';
import type { ModelTarget } from './viewerState.js';

/** The run asked for, waiting while the user chooses a series for each of the model's input channels. */
export interface ModelInputsDialogState {
  readonly inputs: ModelInputs;
  readonly model: 'demo' | 'choose';
  readonly device: DeviceChoice;
  readonly kind: ModelTarget['kind'];
}
