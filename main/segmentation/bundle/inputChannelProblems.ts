import type { InteractiveSpec, UnsupportedItem } from '../ModelSpec.js';

/**
 * A DeepEdit model takes its image channels plus one guidance channel per label name; any other model takes
 * one series per input channel (see segmentVolume's `channels`), so any count is runnable.
 */
export function inputChannelProblems(channels: number, interactive: InteractiveSpec | undefined): UnsupportedItem[] {
  if (!interactive) return [];
  const expected = interactive.intensityChannels + interactive.labelNames.length;
  if (channels === expected) return [];
  const made = `${interactive.intensityChannels} image + ${interactive.labelNames.length} guidance channels`;
  const reason = `${channels} input channels, but the DeepEdit transforms make ${made}`;
  return [{ path: 'network_data_format.inputs', name: 'num_channels', reason }];
}
