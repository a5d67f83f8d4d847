import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { cameraFrom, panCamera, rotateCamera, standardViews, zoomCamera, type OrbitCamera } from '../../../../renderer/volume3d/orbitCamera.js';

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
/** Screen position (right, up) of a world point, camera centred at the origin. */
const screen = (c: OrbitCamera, p: Vec3): [number, number] => [dot(p, c.right), dot(p, c.up)];

function expectFrame(c: OrbitCamera): void {
  for (const v of [c.right, c.up, c.forward]) expect(Math.hypot(...v)).toBeCloseTo(1, 12);
  expect(dot(c.right, c.up)).toBeCloseTo(0, 12);
  expect(dot(c.up, c.forward)).toBeCloseTo(0, 12);
  // right × up points at the viewer.
  const towardsViewer = cross(c.right, c.up);
  towardsViewer.forEach((v, a) => expect(v).toBeCloseTo(-c.forward[a]!, 12));
}

describe('cameraFrom', () => {
  it.each(standardViews)('%s is a right-handed orthonormal frame', (view) => expectFrame(cameraFrom(view)));

  it(
    'frames the patient radiologically: from the front, the right on screen left, head up; ' +
      'from the left, anterior on screen left; from the feet, anterior up and the right on screen left',
    () => {
      const front = cameraFrom('anterior');
      expect(screen(front, [-100, 0, 0])[0]).toBeLessThan(0); // patient's right (−x in LPS)
      expect(screen(front, [0, 0, 100])[1]).toBeGreaterThan(0); // superior
      const left = cameraFrom('left');
      expect(screen(left, [0, -100, 0])[0]).toBeLessThan(0); // anterior (−y)
      const feet = cameraFrom('inferior');
      expect(screen(feet, [0, -100, 0])[1]).toBeGreaterThan(0);
      expect(screen(feet, [-100, 0, 0])[0]).toBeLessThan(0);
      expect(dot(front.forward, [0, 1, 0])).toBe(1); // looking towards posterior
    },
  );
});

describe('rotateCamera', () => {
  it('turns the volume with the pointer: a drag to the right moves the front surface right, a drag down moves it down', () => {
    const front = cameraFrom('anterior');
    const anteriorPoint: Vec3 = [0, -100, 0];
    const right = rotateCamera(front, 20, 0);
    expect(screen(right, anteriorPoint)[0]).toBeCloseTo(100 * Math.sin((10 * Math.PI) / 180), 9);
    const down = rotateCamera(front, 0, 20);
    expect(screen(down, anteriorPoint)[1]).toBeCloseTo(-100 * Math.sin((10 * Math.PI) / 180), 9);
    expectFrame(rotateCamera(right, 13, -31));
  });

  it("comes back after a whole turn, and a quarter turn to the right looks from the patient's right", () => {
    let c = cameraFrom('anterior');
    for (let n = 0; n < 36; n++) c = rotateCamera(c, 20, 0);
    const front = cameraFrom('anterior');
    for (const key of ['right', 'up', 'forward'] as const) c[key].forEach((v, a) => expect(v).toBeCloseTo(front[key][a]!, 9));
    // Dragging 180 px right (90°) carries the front to the right, bringing the patient's right side (screen left) to face the viewer.
    const quarter = rotateCamera(front, 180, 0);
    const fromRight = cameraFrom('right');
    for (const key of ['right', 'up', 'forward'] as const) quarter[key].forEach((v, a) => expect(v).toBeCloseTo(fromRight[key][a]!, 9));
  });
});

describe('zoomCamera and panCamera', () => {
  it('keeps the zoom within 0.2–20 and adds pans', () => {
    expect(zoomCamera(cameraFrom('anterior'), 1e6).zoom).toBe(20);
    expect(zoomCamera(cameraFrom('anterior'), 1e-6).zoom).toBe(0.2);
    expect(panCamera(panCamera(cameraFrom('anterior'), 3, -4), 1, 1).pan).toEqual([4, -3]);
  });
});
