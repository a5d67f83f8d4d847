/**
 * Thrown by the sliding window when a half-precision sum passed 65504 (logits in the thousands):
 * the run cannot be trusted, and segmentVolume runs it again with float32 sums.
 */
export class HalfSumsOverflow extends Error {
  constructor() {
    super('a weighted sum passed the half-precision range (65504)');
    this.name = 'HalfSumsOverflow';
  }
}
