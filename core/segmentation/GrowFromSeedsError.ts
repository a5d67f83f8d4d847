/** Stable codes for a grow that cannot start. */
export type GrowFromSeedsErrorCode = 'GROW_INVALID_INPUT' | 'GROW_TOO_FEW_SEEDS' | 'GROW_TOO_LARGE';

/** A grow-from-seeds input that cannot be grown; `code` travels as data across a worker's boundary. */
export class GrowFromSeedsError extends Error {
  constructor(
    readonly code: GrowFromSeedsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GrowFromSeedsError';
  }
}
