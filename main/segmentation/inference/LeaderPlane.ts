/**
 * One finished network plane of the leaders store (leaderSums): per voxel, the classes whose softmax
 * probability is not 0 and those probabilities; every other class's probability is exactly 0 there,
 * as the dense path's softmax makes it (a class 30 below the best is set to 0; see activate).
 */
export interface LeaderPlane {
  /** Slots per voxel: voxel v's classes lie at v × slots + 0 … count[v] − 1, most probable first. */
  readonly slots: number;
  readonly count: Uint8Array;
  readonly ids: Uint16Array;
  readonly probabilities: Float32Array;
  /**
   * Per voxel, its leader where the leader's probability is at least 0.5 above every other class's (the second
   * listed, or 0), else −1: where the blend's taps all share such a leader, it is the argmax (see leaderArgmax).
   */
  readonly sure: Int32Array;
}

/** A plane of `size` voxels, `slots` classes a voxel, every class slot 0. */
export function createLeaderPlane(size: number, slots: number): LeaderPlane {
  return { slots, count: new Uint8Array(size), ids: new Uint16Array(size * slots), probabilities: new Float32Array(size * slots), sure: new Int32Array(size) };
}
