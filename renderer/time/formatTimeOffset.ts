/** How a series' offsets are written: the unit and the decimals, chosen once for all its time points. */
interface OffsetFormat {
  readonly scale: number;
  readonly unit: 's' | 'ms';
  readonly decimals: number;
}

/** Significant digits the smallest step between time points keeps (1.25 s steps: 1.250; 0.3333 s steps: 0.3333). */
const stepDigits = 4;

const formats = new WeakMap<readonly number[], OffsetFormat | null>();

/**
 * Where time point `timePoint` (0-based) lies from the first ("10.0 s", "40 ms"), from `offsets`, each time point's
 * seconds from the first as main read them (VolumeHeader.timeOffsets); null where they do not say. One format serves a
 * whole series so the readout does not jump as it plays: milliseconds where every offset is under a second (a cardiac
 * cine's 40 ms phases), else seconds with one decimal at least; then the fewest decimals that write every offset
 * exactly, but never more than keep 4 significant digits of the smallest step, enough to keep distinct offsets apart.
 */
export function formatTimeOffset(offsets: readonly number[] | undefined, timePoint: number): string | null {
  const offset = offsets?.[timePoint];
  if (offsets === undefined || offset === undefined) return null;
  let format = formats.get(offsets);
  if (format === undefined) {
    format = offsetFormat(offsets);
    formats.set(offsets, format);
  }
  return format && `${(offset * format.scale).toFixed(format.decimals)} ${format.unit}`;
}

function offsetFormat(offsets: readonly number[]): OffsetFormat | null {
  if (offsets.length === 0 || !offsets.every(Number.isFinite)) return null;
  const largest = Math.max(...offsets.map(Math.abs));
  const [scale, unit, fewest] = largest < 1 ? [1000, 'ms' as const, 0] : [1, 's' as const, 1];
  const values = offsets.map((t) => t * scale);
  const most = Math.max(fewest, Math.min(9, stepDigits - 1 - Math.floor(Math.log10(smallestStep(values) ?? Math.max(1, largest * scale)))));
  // What a value may be off by and still be written exactly: float noise (0.1 s as float32 is 0.10000000149 s), far
  // below the last digit the step needs.
  const noise = 10 ** -(most + 2);
  for (let decimals = fewest; decimals < most; decimals++) {
    const power = 10 ** decimals;
    if (values.every((v) => Math.abs(Math.round(v * power) / power - v) <= noise)) return { scale, unit, decimals };
  }
  return { scale, unit, decimals: most };
}

/** The smallest gap between two different values (a double's rounding is no gap), or undefined when all are one value. */
function smallestStep(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  const equal = 1e-9 * Math.max(Math.abs(sorted[0]!), Math.abs(sorted[sorted.length - 1]!));
  let smallest: number | undefined;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap > equal && (smallest === undefined || gap < smallest)) smallest = gap;
  }
  return smallest;
}
