import { createVolume, type Volume } from '../../main/volume/Volume.js';
import { type Mat3, type Vec3 } from '../../core/geometry/types.js';
import { seededRandom } from '../seededRandom.js';

/**
 * The demo bundle's phantom family (models/demo-phantoms.md), drawn in
 * TypeScript from its own seeded generator: the same family, not the same
 * draws as the Python training code. World coordinates here are LPS; the
 * family is symmetric, so its numbers apply to LPS axes as they are.
 */
export interface DemoPhantom {
  readonly image: Volume;
  /** Labels at the same voxel centres: 0 background, 1 organ, 2 bone. */
  readonly truth: Uint8Array;
}

export interface PhantomGrid {
  readonly direction: Mat3;
  readonly spacing: Vec3;
  /** Optional sub-voxel shift of the centred origin, in mm. */
  readonly shift?: Vec3;
}

interface Ellipsoid {
  readonly centre: Vec3;
  readonly radii: Vec3;
  readonly yaw: number;
}

interface Shapes {
  readonly body: { readonly bx: number; readonly by: number; readonly a: number; readonly b: number };
  readonly organ: Ellipsoid;
  readonly bone: Ellipsoid;
}

const fieldOfView: Vec3 = [180, 160, 120];

/** Uniform and normal (Box–Muller) draws from one seeded generator. */
function generator(seed: number): { uniform: (lo: number, hi: number) => number; normal: () => number } {
  const next = seededRandom(seed);
  return {
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next()),
  };
}

function drawShapes(random: ReturnType<typeof generator>): Shapes {
  for (;;) {
    const body = { bx: random.uniform(-5, 5), by: random.uniform(-5, 5), a: random.uniform(65, 80), b: random.uniform(50, 65) };
    const organ = place(random, body, [20, 35], undefined);
    if (!organ) continue;
    const bone = place(random, body, [10, 18], organ);
    if (bone) return { body, organ, bone };
  }
}

function place(random: ReturnType<typeof generator>, body: Shapes['body'], [lo, hi]: [number, number], avoid: Ellipsoid | undefined): Ellipsoid | undefined {
  const radii: Vec3 = [random.uniform(lo, hi), random.uniform(lo, hi), random.uniform(lo, hi)];
  const yaw = random.uniform(0, Math.PI);
  const reach = Math.max(...radii);
  for (let attempt = 0; attempt < 200; attempt++) {
    const centre: Vec3 = [body.bx + random.uniform(-1, 1) * body.a, body.by + random.uniform(-1, 1) * body.b, random.uniform(-15, 15)];
    if (((centre[0] - body.bx) / body.a) ** 2 + ((centre[1] - body.by) / body.b) ** 2 > 1) continue;
    if (clearance(body, centre) < reach + 5) continue;
    if (avoid && Math.hypot(centre[0] - avoid.centre[0], centre[1] - avoid.centre[1], centre[2] - avoid.centre[2]) < Math.max(...avoid.radii) + reach + 5)
      continue;
    return { centre, radii, yaw };
  }
  return undefined;
}

function clearance(body: Shapes['body'], [x, y]: Vec3): number {
  let best = Infinity;
  for (let n = 0; n < 360; n++) {
    const t = (2 * Math.PI * n) / 360;
    best = Math.min(best, Math.hypot(x - (body.bx + body.a * Math.cos(t)), y - (body.by + body.b * Math.sin(t))));
  }
  return best;
}

function inside(e: Ellipsoid, x: number, y: number, z: number): boolean {
  const dx = x - e.centre[0];
  const dy = y - e.centre[1];
  const c = Math.cos(e.yaw);
  const s = Math.sin(e.yaw);
  const ux = c * dx + s * dy;
  const uy = -s * dx + c * dy;
  const uz = z - e.centre[2];
  return (ux / e.radii[0]) ** 2 + (uy / e.radii[1]) ** 2 + (uz / e.radii[2]) ** 2 <= 1;
}

/** Draws phantom `seed` on a grid centred on the world origin covering the family's field of view. */
export function makeDemoPhantom(seed: number, grid: PhantomGrid): DemoPhantom {
  const random = generator(seed);
  const shapes = drawShapes(random);
  const { direction, spacing } = grid;
  const dimensions = [0, 1, 2].map((a) => {
    const worldAxis = [0, 1, 2].reduce((best, w) => (Math.abs(direction[a]![w]!) > Math.abs(direction[a]![best]!) ? w : best), 0);
    return Math.round(fieldOfView[worldAxis]! / spacing[a]!);
  }) as unknown as Vec3;
  const origin = [0, 1, 2].map((r) => {
    let o = grid.shift?.[r] ?? 0;
    for (let a = 0; a < 3; a++) o -= direction[a]![r]! * spacing[a]! * ((dimensions[a]! - 1) / 2);
    return o;
  }) as unknown as Vec3;
  const count = dimensions[0] * dimensions[1] * dimensions[2];
  const voxels = new Int16Array(count);
  const truth = new Uint8Array(count);
  let n = 0;
  for (let k = 0; k < dimensions[2]; k++) {
    for (let j = 0; j < dimensions[1]; j++) {
      for (let i = 0; i < dimensions[0]; i++, n++) {
        const p = [0, 1, 2].map((r) => origin[r]! + direction[0][r]! * spacing[0] * i + direction[1][r]! * spacing[1] * j + direction[2][r]! * spacing[2] * k);
        const [x, y, z] = p as [number, number, number];
        const label = inside(shapes.bone, x, y, z) ? 2 : inside(shapes.organ, x, y, z) ? 1 : 0;
        const inBody = ((x - shapes.body.bx) / shapes.body.a) ** 2 + ((y - shapes.body.by) / shapes.body.b) ** 2 <= 1;
        const hu = label === 2 ? 700 : label === 1 ? 130 : inBody ? 40 : -1000;
        truth[n] = label;
        voxels[n] = Math.round(hu + 10 * random.normal());
      }
    }
  }
  const image = createVolume({
    dimensions,
    spacing,
    origin,
    direction,
    voxels,
    metadata: { format: 'nifti', modality: 'CT', units: 'HU', windowPresets: [], fileCount: 1 },
  });
  return { image, truth };
}

/** Dice of label `value` between two label arrays of the same grid. */
export function dice(a: ArrayLike<number>, b: ArrayLike<number>, value: number): number {
  let both = 0;
  let inA = 0;
  let inB = 0;
  for (let n = 0; n < a.length; n++) {
    const x = a[n] === value;
    const y = b[n] === value;
    if (x) inA++;
    if (y) inB++;
    if (x && y) both++;
  }
  return inA + inB === 0 ? 1 : (2 * both) / (inA + inB);
}
