import type { InteractiveSpec, UnsupportedItem } from '../ModelSpec.js';

/** A single-image model takes one channel; a DeepEdit model its image channels plus one guidance channel per label name. */
export function inputChannelProblems(channels: number, interactive: InteractiveSpec | undefined): UnsupportedItem[] {
  const expected = interactive ? interactive.intensityChannels + interactive.labelNames.length : 1;
  if (channels === expected) return [];
  const reason = interactive
    ? `${channels} input channels, but the DeepEdit transforms make ${interactive.intensityChannels} image + ${interactive.labelNames.length} guidance channels`
    : `${channels} input channels; Axial runs single-image models`;
  return [{ path: 'network_data_format.inputs', name: 'num_channels', reason }];
}
