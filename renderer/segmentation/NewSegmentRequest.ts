/** A segment a mask creates when it is applied (layer 0, the next free value), with its voxels in the same undo step. */
export interface NewSegmentRequest {
  readonly name?: string;
  readonly colour?: readonly [number, number, number];
  /** The model that made it: the segment is AUTOMATIC. */
  readonly algorithmName?: string;
}
