import type { Vec3 } from '../../core/geometry/types.js';
import { cross, dot, unit } from '../../core/geometry/vec3.js';

/**
 * An orthographic camera orbiting the volume's centre, in LPS world
 * coordinates: `right` and `up` are the screen's directions, `forward` points
 * into the screen (right × up = −forward). `zoom` 1 fits the whole volume at
 * any rotation; `pan` moves the picture, in mm along right and up.
 */
export interface OrbitCamera {
  readonly right: Vec3;
  readonly up: Vec3;
  readonly forward: Vec3;
  readonly zoom: number;
  readonly pan: readonly [number, number];
}

/** Where the camera looks from: the patient's anterior, posterior, left, right, superior or inferior side. */
export type StandardView = 'anterior' | 'posterior' | 'left' | 'right' | 'superior' | 'inferior';
export const standardViews: readonly StandardView[] = ['anterior', 'posterior', 'left', 'right', 'superior', 'inferior'];

/**
 * The usual radiological framings: from the front with the patient's right
 * on screen left and head up; from the left with anterior on screen left
 * (as the sagittal view); from the feet with anterior up (as the axial view).
 */
const frames: Record<StandardView, { right: Vec3; up: Vec3; forward: Vec3 }> = {
  anterior: { right: [1, 0, 0], up: [0, 0, 1], forward: [0, 1, 0] },
  posterior: { right: [-1, 0, 0], up: [0, 0, 1], forward: [0, -1, 0] },
  left: { right: [0, 1, 0], up: [0, 0, 1], forward: [-1, 0, 0] },
  right: { right: [0, -1, 0], up: [0, 0, 1], forward: [1, 0, 0] },
  superior: { right: [-1, 0, 0], up: [0, -1, 0], forward: [0, 0, -1] },
  inferior: { right: [1, 0, 0], up: [0, -1, 0], forward: [0, 0, 1] },
};

/** A camera looking from `view`, zoom 1, not panned. */
export function cameraFrom(view: StandardView): OrbitCamera {
  return { ...frames[view], zoom: 1, pan: [0, 0] };
}

/**
 * Turns the camera for a drag of (dx, dy) CSS px: the volume follows the
 * pointer, turning about the screen's vertical axis for dx and its
 * horizontal axis for dy, `degreesPerPx` each.
 */
export function rotateCamera(camera: OrbitCamera, dx: number, dy: number, degreesPerPx = 0.5): OrbitCamera {
  const yaw = (-dx * degreesPerPx * Math.PI) / 180;
  const pitch = (-dy * degreesPerPx * Math.PI) / 180;
  // Yaw turns right and forward about up; pitch turns up and forward about right.
  let right = rotateAbout(camera.right, camera.up, yaw);
  let forward = rotateAbout(camera.forward, camera.up, yaw);
  let up = rotateAbout(camera.up, right, pitch);
  forward = rotateAbout(forward, right, pitch);
  // Re-orthonormalise so rounding never accumulates into shear.
  forward = unit(forward);
  right = unit(cross(forward, up));
  up = cross(right, forward);
  return { ...camera, right, up, forward };
}

/** Multiplies the zoom, kept within 0.2–20. */
export function zoomCamera(camera: OrbitCamera, factor: number): OrbitCamera {
  return { ...camera, zoom: Math.min(20, Math.max(0.2, camera.zoom * factor)) };
}

/** Moves the picture by (dxMm, dyMm) along the screen's right and up. */
export function panCamera(camera: OrbitCamera, dxMm: number, dyMm: number): OrbitCamera {
  return { ...camera, pan: [camera.pan[0] + dxMm, camera.pan[1] + dyMm] };
}

/** Rodrigues' rotation of v about the unit axis k by `angle` radians. */
function rotateAbout(v: Vec3, k: Vec3, angle: number): Vec3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const kxv = cross(k, v);
  const kv = dot(k, v);
  return [0, 1, 2].map((a) => v[a]! * c + kxv[a]! * s + k[a]! * kv * (1 - c)) as unknown as Vec3;
}
