import type { Measurement, MeasurementPlane } from '../../core/contract.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { planeBasis } from './measurementPlane.js';
import { cross, dot, subtract } from '../../core/geometry/vec3.js';

/** Distance (mm) between two world points. */
export function distanceMm(a: Vec3, b: Vec3): number {
  return Math.hypot(...subtract(b, a));
}

/** The angle (degrees, 0–180) at `vertex` between the rays to `a` and to `c`; NaN when a ray has no length. */
export function angleDeg(a: Vec3, vertex: Vec3, c: Vec3): number {
  const u = subtract(a, vertex);
  const v = subtract(c, vertex);
  if (Math.hypot(...u) === 0 || Math.hypot(...v) === 0) return Number.NaN;
  // atan2 of |u × v| and u · v keeps full precision near 0° and 180°, where acos does not.
  return (Math.atan2(Math.hypot(...cross(u, v)), dot(u, v)) * 180) / Math.PI;
}

/**
 * Area (mm²) of the ellipse with centre `centre` and semi-axis ends `uEnd`,
 * `vEnd`: π · |u × v|, which is π · a · b for perpendicular semi-axes.
 */
export function ellipseAreaMm2(centre: Vec3, uEnd: Vec3, vEnd: Vec3): number {
  const u = subtract(uEnd, centre);
  const v = subtract(vEnd, centre);
  return Math.PI * Math.hypot(...cross(u, v));
}

/** Perimeter (mm) of an ellipse from its semi-axes, by Ramanujan's second approximation (relative error under 1e-7 up to a 3:1 ratio, 4e-5 at worst). */
export function ellipsePerimeterMm(centre: Vec3, uEnd: Vec3, vEnd: Vec3): number {
  const a = distanceMm(centre, uEnd);
  const b = distanceMm(centre, vEnd);
  if (a + b === 0) return 0;
  const h = ((a - b) / (a + b)) ** 2;
  return Math.PI * (a + b) * (1 + (3 * h) / (10 + Math.sqrt(4 - 3 * h)));
}

/** Area (mm²) of a closed polygon in its plane: the shoelace formula in the plane's orthonormal 2D millimetres. */
export function polygonAreaMm2(points: readonly Vec3[], plane: MeasurementPlane): number {
  const { e1, e2 } = planeBasis(plane);
  const o = plane.origin;
  const xy = points.map((p) => {
    const d = subtract(p, o);
    return [dot(d, e1), dot(d, e2)] as const;
  });
  let twice = 0;
  for (let n = 0; n < xy.length; n++) {
    const [x0, y0] = xy[n]!;
    const [x1, y1] = xy[(n + 1) % xy.length]!;
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

/** Length (mm) of a closed polygon's outline. */
export function polygonPerimeterMm(points: readonly Vec3[]): number {
  let length = 0;
  for (let n = 0; n < points.length; n++) length += distanceMm(points[n]!, points[(n + 1) % points.length]!);
  return length;
}

/** The geometric values of a measurement (no voxel statistics): length, angle, or area and perimeter. */
export function geometricValues(m: Pick<Measurement, 'kind' | 'points' | 'plane'>): Measurement['values'] {
  const p = m.points;
  switch (m.kind) {
    case 'line':
      return { lengthMm: distanceMm(p[0]!, p[1]!) };
    case 'angle':
      return { angleDeg: angleDeg(p[0]!, p[1]!, p[2]!) };
    case 'ellipse':
      return { areaMm2: ellipseAreaMm2(p[0]!, p[1]!, p[2]!), perimeterMm: ellipsePerimeterMm(p[0]!, p[1]!, p[2]!) };
    case 'freehand':
      return { areaMm2: polygonAreaMm2(p, m.plane), perimeterMm: polygonPerimeterMm(p) };
  }
}
