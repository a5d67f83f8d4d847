/**
 * Thrown by the leaders store (leaderSums) when it cannot give the dense path's answer: more classes
 * came within reach of a voxel's best than it has slots for, or a class that fell out of reach in some
 * window may still hold probability. segmentVolume then runs the dense sums instead.
 */
export class LeadersOverflow extends Error {
  constructor(readonly reason: 'slots' | 'undecided') {
    super(
      reason === 'slots'
        ? 'more classes came within reach of a voxel’s best logit than the leaders store holds'
        : 'a class left out of some window may still hold probability at a voxel',
    );
    this.name = 'LeadersOverflow';
  }
}
