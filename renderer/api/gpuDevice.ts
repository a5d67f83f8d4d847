import type { ArgumentsOf } from '../../core/contract.js';

export type InferenceDevice = ArgumentsOf<'segmentation:run'>['device'];

/** The user's choice in the Run model form. */
export type DeviceChoice = 'auto' | 'cpu' | 'gpu';

/**
 * The contract's device for a choice: "GPU" means the platform's own
 * execution provider (DirectML on Windows, CoreML on macOS, CUDA elsewhere).
 */
export function inferenceDeviceFor(choice: DeviceChoice, platform: string): InferenceDevice {
  if (choice !== 'gpu') return choice;
  const p = platform.toLowerCase();
  if (p.startsWith('win')) return 'dml';
  if (p.startsWith('mac') || p.includes('darwin')) return 'coreml';
  return 'cuda';
}
