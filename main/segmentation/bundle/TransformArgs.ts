import { describeMarker, isBundleMarker, type BundleObject, type BundleValue } from './BundleValue.js';

/** Why one transform (or the inferer) cannot be run as written; becomes an UnsupportedItem. */
export class TransformProblem extends Error {}

/** Keys of a config component that are not arguments, or are harmless for every transform. */
const alwaysAccepted = ['_target_', '_desc_', '_requires_', '_mode_', '_disabled_', 'keys', 'allow_missing_keys'];

function show(value: BundleValue | undefined): string {
  return isBundleMarker(value) ? describeMarker(value) : JSON.stringify(value);
}

function sameValue(a: BundleValue | undefined, b: BundleValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Reads the arguments of one MONAI transform with MONAI's defaults, and
 * remembers which it understood so that {@link TransformArgs.finish} can name
 * the rest. Every reader throws a {@link TransformProblem} for a value of the
 * wrong type or one Axial cannot compute.
 */
export class TransformArgs {
  private readonly seen = new Set<string>(alwaysAccepted);
  /** Things MONAI does with an argument as written that its look belies (e.g. `"False"` read as true); the caller names the transform. */
  readonly warnings: string[] = [];

  constructor(
    private readonly args: BundleObject,
    /** Index of the processed key in a list-valued `keys`, for MONAI's per-key argument lists; null when `keys` is one string. */
    private readonly keyIndex: number | null,
  ) {}

  /** The value as written (markers included), or undefined; marks it understood. */
  raw(name: string): BundleValue | undefined {
    this.seen.add(name);
    return Object.hasOwn(this.args, name) ? this.args[name] : undefined;
  }

  /** Accepts arguments that change nothing Axial computes (dtype, device, lazy...). */
  ignore(...names: string[]): void {
    for (const name of names) this.seen.add(name);
  }

  number(name: string, fallback?: number, perKey = false): number {
    const value = this.value(name, perKey);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number') throw this.wrong(name, value, 'a number');
    return value;
  }

  /** A number or None; `fallback` undefined means MONAI requires the argument. */
  nullableNumber(name: string, fallback: number | null | undefined, perKey = false): number | null {
    const value = this.value(name, perKey);
    if (value === undefined && fallback !== undefined) return fallback;
    if (value !== null && typeof value !== 'number') throw this.wrong(name, value, 'a number or None');
    return value;
  }

  /**
   * A flag that MONAI's transform tests with Python's `if flag:` (every flag Axial reads is one). MONAI's config
   * parser passes values unconverted (`ConfigComponent.resolve_args`), so `"True"`, `1` or `[0]` are read by
   * truthiness: a non-empty string, a non-zero number, a non-empty list or mapping are true; `""`, `0`, `null`,
   * `[]`, `{}` false. A value whose look says the opposite (`"False"`, `"0"`, `"no"`…) gets a warning naming the key.
   */
  boolean(name: string, fallback: boolean, perKey = false): boolean {
    const value = this.value(name, perKey);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    const truth = pythonTruth(value);
    if (typeof value === 'string' && falseLooking.has(value.trim().toLowerCase())) {
      this.warnings.push(
        `${name} is the string ${JSON.stringify(value)}, which MONAI passes as it is and Python reads as true (a non-empty string); Axial does the same`,
      );
    }
    return truth;
  }

  /** A flag MONAI tests by truthiness that Axial supports only off: `0`, `""` or `null` pass, `"False"` does not (it is true in MONAI). */
  flagOff(name: string, why = ''): void {
    if (!this.boolean(name, false)) return;
    const value = this.raw(name);
    const read = typeof value === 'boolean' ? '' : ', which MONAI reads as true,';
    throw new TransformProblem(`${name} ${show(value)}${read} is not supported${why ? `: ${why}` : ''} (MONAI's default is false)`);
  }

  string(name: string, fallback?: string, perKey = false): string {
    const value = this.value(name, perKey);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string') throw this.wrong(name, value, 'a string');
    return value;
  }

  /** A string from a fixed set (e.g. an interpolation mode). */
  choice<T extends string>(name: string, allowed: readonly T[], fallback: T, perKey = false): T {
    const value = this.string(name, fallback, perKey);
    if (!(allowed as readonly string[]).includes(value)) {
      throw new TransformProblem(`${name} "${value}" is not supported (Axial runs ${allowed.map((a) => `"${a}"`).join(', ')})`);
    }
    return value as T;
  }

  /** A number or a list of numbers; a single number becomes a one-item list. */
  numbers(name: string, fallback?: readonly number[]): number[] {
    const value = this.value(name, false);
    if (value === undefined && fallback !== undefined) return [...fallback];
    if (typeof value === 'number') return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number')) return [...(value as number[])];
    throw this.wrong(name, value, 'a number or a list of numbers');
  }

  /** The argument must be absent or equal one of `allowed` (MONAI's default first). */
  requireDefault(name: string, allowed: readonly BundleValue[], why = ''): void {
    const value = this.raw(name);
    if (value === undefined || allowed.some((a) => sameValue(a, value))) return;
    throw new TransformProblem(`${name} ${show(value)} is not supported${why ? `: ${why}` : ''} (MONAI's default is ${show(allowed[0])})`);
  }

  /** Throws naming every argument no reader asked for. */
  finish(): void {
    const unknown = Object.keys(this.args).filter((k) => !this.seen.has(k));
    if (unknown.length > 0) {
      const list = unknown.map((k) => `${k}=${show(this.args[k])}`).join(', ');
      throw new TransformProblem(`argument${unknown.length > 1 ? 's' : ''} ${list} ${unknown.length > 1 ? 'are' : 'is'} not supported`);
    }
  }

  private value(name: string, perKey: boolean): BundleValue | undefined {
    let value = this.raw(name);
    // MONAI's ensure_tuple_rep: a per-key list has one item per key, so a single key (a string) takes a 1-item list's item.
    if (perKey && Array.isArray(value) && (this.keyIndex !== null || value.length === 1)) value = value[this.keyIndex ?? 0];
    if (isBundleMarker(value)) throw new TransformProblem(`${name} is ${describeMarker(value)}`);
    return value;
  }

  private wrong(name: string, value: BundleValue | undefined, expected: string): TransformProblem {
    if (value === undefined) return new TransformProblem(`${name} is required`);
    // MONAI does not convert "1.5" either: the transform gets a str and fails on it (or compares it wrongly).
    const unconverted = typeof value === 'string' && expected.startsWith('a number') && value.trim() !== '' && Number.isFinite(Number(value));
    const why = unconverted ? ' (MONAI passes a number written as a string unconverted, and the transform fails on it)' : '';
    return new TransformProblem(`${name} must be ${expected}, got ${show(value)}${why}`);
  }
}

/** Strings that look false but that Python, and so MONAI, reads as true. */
const falseLooking = new Set(['false', '0', 'no', 'off', 'none', 'null', 'n', 'f']);

/** Python's `bool(value)` for a config value (markers never reach here). */
function pythonTruth(value: BundleValue): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return Object.keys(value).length > 0;
}

/** MONAI's rule for per-axis settings: one value for all axes, a shorter list padded with its last value. */
export function fillTo3(values: readonly number[], name: string): [number, number, number] {
  if (values.length === 0) throw new TransformProblem(`${name} is empty`);
  const last = values[values.length - 1]!;
  return [values[0]!, values[1] ?? last, values[2] ?? last];
}

/** One value for all three axes, or exactly three (MONAI's `ensure_tuple_rep`). */
export function exactly3(values: readonly number[], name: string): [number, number, number] {
  if (values.length === 1) return [values[0]!, values[0]!, values[0]!];
  if (values.length === 3) return [values[0]!, values[1]!, values[2]!];
  throw new TransformProblem(`${name} must have 1 or 3 values, got ${values.length}`);
}
