import type { Mat3, Vec3 } from '../../core/geometry/types.js';
import { cross, dot, scale, subtract } from '../../core/geometry/vec3.js';

/** The identity rotation: the three standard planes. */
export const identityRotation: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

/**
 * Turns a rotation (3×3, rows, applied as R · v to LPS vectors) further by
 * `angle` radians about the unit world axis `axis` (right-hand rule):
 * returns Rot(axis, angle) · R, re-orthonormalised so that many small turns
 * (a drag) do not let it drift from a rotation.
 * @throws RangeError when `axis` has no length.
 */
export function rotateAbout(rotation: Mat3, axis: Vec3, angle: number): Mat3 {
  const length = Math.hypot(axis[0], axis[1], axis[2]);
  if (!(length > 1e-12)) throw new RangeError('the rotation axis has no length');
  const [x, y, z] = [axis[0] / length, axis[1] / length, axis[2] / length];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  const turn: Mat3 = [
    [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
    [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
    [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
  ];
  const product = [0, 1, 2].map((r) =>
    [0, 1, 2].map((col) => turn[r]![0] * rotation[0][col]! + turn[r]![1] * rotation[1][col]! + turn[r]![2] * rotation[2][col]!),
  );
  return orthonormalised(product as unknown as Mat3);
}

/** Whether a rotation is the identity (within 1e-12 per entry). */
export function isIdentityRotation(rotation: Mat3): boolean {
  return rotation.every((row, r) => row.every((v, col) => Math.abs(v - (r === col ? 1 : 0)) < 1e-12));
}

/** Gram–Schmidt on the rows, the third row rebuilt as the cross product of the first two. */
function orthonormalised(m: Mat3): Mat3 {
  const unit = (v: readonly number[]): Vec3 => {
    const l = Math.hypot(v[0]!, v[1]!, v[2]!);
    return [v[0]! / l, v[1]! / l, v[2]! / l];
  };
  const a = unit(m[0]);
  const b = unit(subtract(m[1], scale(a, dot(a, m[1]))));
  return [a, b, cross(a, b)];
}
