/**
 * A value of a MONAI bundle config after reference resolution: plain JSON, or a
 * marker standing for something Axial did not (and will not) compute.
 */
export type BundleValue = null | boolean | number | string | readonly BundleValue[] | BundleObject | BundleMarker;

export interface BundleObject {
  readonly [key: string]: BundleValue;
}

/** A `$` Python expression outside the subset Axial evaluates; never guessed, never executed. */
export class UnevaluatedExpression {
  readonly marker = 'unevaluated expression';
  constructor(
    /** The expression as written, without its `$`. */
    readonly expression: string,
    /** Config id it was found at, `#`-separated. */
    readonly id: string,
    readonly reason: string,
  ) {}
}

/** A value Axial recognises but cannot hold, e.g. `$torch.device(...)`. */
export class OpaqueValue {
  readonly marker = 'opaque value';
  constructor(
    /** What it is, e.g. `torch device`. */
    readonly what: string,
    readonly expression: string,
  ) {}
}

/** A `%file#key` macro that could not be read. */
export class UnresolvedMacro {
  readonly marker = 'unresolved macro';
  constructor(
    readonly macro: string,
    readonly id: string,
    readonly reason: string,
  ) {}
}

export type BundleMarker = UnevaluatedExpression | OpaqueValue | UnresolvedMacro;

/** True for the markers above. */
export function isBundleMarker(value: unknown): value is BundleMarker {
  return value instanceof UnevaluatedExpression || value instanceof OpaqueValue || value instanceof UnresolvedMacro;
}

/** True for a config mapping (not a list, not a marker). */
export function isBundleObject(value: unknown): value is BundleObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isBundleMarker(value);
}

/** One line saying what a marker stands for, for messages. */
export function describeMarker(marker: BundleMarker): string {
  if (marker instanceof UnevaluatedExpression) {
    return `the Python expression "$${marker.expression}" (at ${marker.id}), which Axial does not evaluate: ${marker.reason}`;
  }
  if (marker instanceof OpaqueValue) return `a ${marker.what} ("$${marker.expression}")`;
  return `the macro "${marker.macro}" (at ${marker.id}), which Axial cannot read: ${marker.reason}`;
}
