/**
 * The sub-pixel decomposition of a ConvTranspose (group 1, dilation 1): output
 * voxel o = p·s + ρ along an axis depends only on its phase ρ, and phase ρ is an
 * ordinary convolution of the input with the taps t ≡ (ρ + pad_begin) mod s of
 * the kernel. All phases stacked as output channels and interleaved by a
 * depth-to-space give exactly the ConvTranspose's output (the same products,
 * summed in another order).
 *
 * With ONNX's definition y[i·s + t − pad_begin] += x[i]·W[t], output
 * o = p·s + ρ takes x[p + δ − m]·W[r + m·s] for m = 0 … K−1, where
 * r = (ρ + pad_begin) mod s, δ = ⌊(ρ + pad_begin) / s⌋ and K = ⌈(k − r) / s⌉.
 */

/** One output phase along one axis. */
export interface AxisPhase {
  /** The kernel tap of m = 0: taps r, r + s, r + 2s, … feed this phase. */
  readonly r: number;
  /** Input offset of tap m = 0 relative to p. */
  readonly delta: number;
  /** How many taps feed this phase (0 when k < s leaves it bias only). */
  readonly taps: number;
}

/** How one spatial axis of a ConvTranspose becomes a stride-1 convolution plus an interleave. */
export interface AxisPlan {
  readonly stride: number;
  readonly kernel: number;
  readonly phases: readonly AxisPhase[];
  /** The single convolution's kernel length covering every phase's taps, and its pads. */
  readonly length: number;
  readonly padBegin: number;
  readonly padEnd: number;
  /** Output length = stride · (input length + growth) − excess: growth and excess are the same for every input length. */
  readonly growth: number;
  readonly excess: number;
}

export interface ConvTransposeAttributes {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  /** ONNX's layout: every axis's begin pad, then every axis's end pad. */
  readonly pads: readonly number[];
  readonly outputPadding: readonly number[];
}

/**
 * Per-axis plans for a ConvTranspose's geometry, or the reason it cannot be
 * written as a convolution with non-negative pads (pads as large as the kernel).
 */
export function planSubPixelConv(attributes: ConvTransposeAttributes): AxisPlan[] | string {
  const { kernel, strides, pads, outputPadding } = attributes;
  const d = kernel.length;
  const plans: AxisPlan[] = [];
  for (let a = 0; a < d; a++) {
    const [k, s, pb, pe, op] = [kernel[a]!, strides[a]!, pads[a]!, pads[a + d]!, outputPadding[a]!];
    if (!(k >= 1 && s >= 1 && pb >= 0 && pe >= 0 && op >= 0 && op < s)) return `axis ${a}: kernel ${k}, stride ${s}, pads ${pb}/${pe}, output_padding ${op}`;
    const phases: AxisPhase[] = [];
    for (let rho = 0; rho < s; rho++) {
      const r = (rho + pb) % s;
      phases.push({ r, delta: Math.floor((rho + pb) / s), taps: r < k ? Math.ceil((k - r) / s) : 0 });
    }
    const fed = phases.filter((p) => p.taps > 0);
    // Reduced, not spread: a phase per stride, and the stride is the model's.
    const lowest = fed.reduce((m, p) => Math.min(m, p.delta - p.taps + 1), Infinity);
    const highest = fed.reduce((m, p) => Math.max(m, p.delta), -Infinity);
    // Output length = s·(in − 1) + op + k − pb − pe = s·in + c.
    const c = op + k - pb - pe - s;
    const growth = Math.ceil(c / s);
    const padBegin = -lowest;
    const length = highest - lowest + 1;
    const padEnd = growth - padBegin + length - 1;
    if (padBegin < 0 || padEnd < 0) return `axis ${a}: pads ${pb}/${pe} would need a negative convolution pad`;
    plans.push({ stride: s, kernel: k, phases, length, padBegin, padEnd, growth, excess: s * growth - c });
  }
  return plans;
}

/** Every phase index tuple, the last axis fastest (the channel order of the stacked phases). */
export function phaseTuples(plans: readonly AxisPlan[]): number[][] {
  let tuples: number[][] = [[]];
  for (const plan of plans) tuples = tuples.flatMap((t) => Array.from({ length: plan.stride }, (_, rho) => [...t, rho]));
  return tuples;
}

/**
 * For one phase tuple and a kernel of `lengths` positions per axis, the flat
 * ConvTranspose kernel tap each position reads (or −1: a zero weight).
 * `tapAt(axis, rho, j)` gives the tap along one axis.
 */
function kernelMap(
  plans: readonly AxisPlan[],
  lengths: readonly number[],
  tapAt: (a: number, rho: number, j: number) => number,
  rho: readonly number[],
): Int32Array {
  const size = lengths.reduce((p, l) => p * l, 1);
  const map = new Int32Array(size);
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let tap = 0;
    let stride = 1;
    for (let a = plans.length - 1; a >= 0; a--) {
      const j = rest % lengths[a]!;
      rest = Math.floor(rest / lengths[a]!);
      const t = tap >= 0 ? tapAt(a, rho[a]!, j) : -1;
      tap = t < 0 ? -1 : tap + t * stride;
      stride *= plans[a]!.kernel;
    }
    map[flat] = tap;
  }
  return map;
}

/** Weights [Cin, Cout, k…] gathered through a kernel map into [Cout, Cin, len…] at `offset` of `out`, for one phase. */
function gather(
  weights: Float32Array,
  cin: number,
  cout: number,
  kernelSize: number,
  map: Int32Array,
  out: Float32Array,
  outputChannel: (co: number) => number,
): void {
  const len = map.length;
  for (let co = 0; co < cout; co++) {
    const base = outputChannel(co) * cin * len;
    for (let ci = 0; ci < cin; ci++) {
      const source = (ci * cout + co) * kernelSize;
      const target = base + ci * len;
      for (let j = 0; j < len; j++) out[target + j] = map[j]! < 0 ? 0 : weights[source + map[j]!]!;
    }
  }
}

export interface WeightShape {
  readonly cin: number;
  readonly cout: number;
}

/**
 * One convolution for all phases: weights [Cout·S, Cin, length…] whose output
 * channel co·S + φ (φ the phase tuple's index, last axis fastest) computes phase
 * φ of output channel co; taps outside a phase are zero.
 */
export function unifiedWeights(weights: Float32Array, shape: WeightShape, plans: readonly AxisPlan[]): Float32Array {
  const lengths = plans.map((p) => p.length);
  const kernelSize = plans.reduce((p, plan) => p * plan.kernel, 1);
  const tuples = phaseTuples(plans);
  const phases = tuples.length;
  const out = new Float32Array(shape.cout * phases * shape.cin * lengths.reduce((p, l) => p * l, 1));
  const tapAt = (a: number, rho: number, j: number): number => {
    const phase = plans[a]!.phases[rho]!;
    const m = phase.delta - (j - plans[a]!.padBegin);
    return m >= 0 && m < phase.taps ? phase.r + m * plans[a]!.stride : -1;
  };
  tuples.forEach((rho, phi) => {
    gather(weights, shape.cin, shape.cout, kernelSize, kernelMap(plans, lengths, tapAt, rho), out, (co) => co * phases + phi);
  });
  return out;
}

/** One phase's own convolution: its exact taps, kernel and pads. */
export interface PhaseConv {
  readonly weights: Float32Array;
  readonly kernel: readonly number[];
  readonly padBegin: readonly number[];
  readonly padEnd: readonly number[];
}

/**
 * One convolution per phase with exactly its taps (no zero weights), in phase
 * order; null when some phase has no taps or would need a negative pad (then
 * the unified form is the one that applies).
 */
export function phaseConvs(weights: Float32Array, shape: WeightShape, plans: readonly AxisPlan[]): PhaseConv[] | null {
  const kernelSize = plans.reduce((p, plan) => p * plan.kernel, 1);
  const convs: PhaseConv[] = [];
  for (const rho of phaseTuples(plans)) {
    const phase = plans.map((plan, a) => plan.phases[rho[a]!]!);
    const kernel = phase.map((p) => p.taps);
    const padBegin = phase.map((p) => p.taps - 1 - p.delta);
    const padEnd = phase.map((p, a) => plans[a]!.growth - padBegin[a]! + p.taps - 1);
    if (kernel.some((k) => k < 1) || [...padBegin, ...padEnd].some((p) => p < 0)) return null;
    const tapAt = (a: number, r: number, j: number): number => {
      const p = plans[a]!.phases[r]!;
      return p.r + (p.taps - 1 - j) * plans[a]!.stride;
    };
    const out = new Float32Array(shape.cout * shape.cin * kernel.reduce((p, k) => p * k, 1));
    gather(weights, shape.cin, shape.cout, kernelSize, kernelMap(plans, kernel, tapAt, rho), out, (co) => co);
    convs.push({ weights: out, kernel, padBegin, padEnd });
  }
  return convs;
}
