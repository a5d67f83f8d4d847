import { AxialError } from '../errors/AxialError.js';

/**
 * Checks the page's inputs name the model's channels in its order: the page says which series is which channel,
 * main does not take the order on trust.
 * @throws AxialError IPC_INVALID_ARGUMENTS naming the model's channels
 */
export function checkChannelInputs(inputs: readonly { channel: string }[], channelNames: readonly string[]): void {
  if (inputs.length !== channelNames.length || inputs.some((input, n) => input.channel !== channelNames[n])) {
    throw new AxialError('IPC_INVALID_ARGUMENTS', `segmentation:run: inputs must name the model's channels in its order (${channelNames.join(', ')})`);
  }
}
