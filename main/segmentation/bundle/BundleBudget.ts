import { AxialError } from '../../errors/AxialError.js';
import { isBundleMarker, type BundleValue } from './BundleValue.js';
import { maxConfigNesting } from './checkConfigNesting.js';

/**
 * What resolving one config may build. MONAI's own bundles stay far below
 * each cap (a few hundred keys, nesting under 10, lists of tens); a config
 * past one is hostile or broken, and would otherwise grow until V8 aborts
 * (`"$@a + @a"` chains double a list per key) or overflow the stack.
 */
const bundleLimits = {
  /** Items in one list an expression builds. */
  maxListItems: 100_000,
  /** Characters in one string an expression builds. */
  maxStringLength: 1_000_000,
  /** Characters in one `$` expression as written. */
  maxExpressionLength: 100_000,
  /** Nodes of one resolved value counted as a tree: a list or mapping shared by references counts each time it appears, as printing it would. */
  maxValueNodes: 1_000_000,
  /** Nesting of lists and mappings in a config file as written, and in a resolved value. */
  maxNesting: maxConfigNesting,
  /** Ids in progress plus expression brackets open, at once: config nesting and reference hops together. */
  maxDepth: 200,
  /** One per reference resolved, token read, macro node copied, list item built or 16 characters of string built. */
  maxSteps: 4_000_000,
} as const;

interface Measure {
  readonly size: number;
  readonly depth: number;
}

const leaf: Measure = { size: 1, depth: 0 };

/**
 * Counts the work of resolving one config against {@link bundleLimits}. Each
 * cap it hits is a MODEL_INVALID naming the config file and the key whose
 * value went past it.
 */
export class BundleBudget {
  private steps = 0;
  private depth = 0;
  private readonly measured = new WeakMap<object, Measure>();

  constructor(private readonly file: string | undefined) {}

  /** Charges `count` steps to the value at `id`. @throws AxialError MODEL_INVALID past the step cap. */
  step(id: string, count = 1): void {
    this.steps += count;
    if (this.steps > bundleLimits.maxSteps) {
      throw this.error(id, `resolving the config takes more than ${bundleLimits.maxSteps} steps (references, tokens, copies); it grows without bound`);
    }
  }

  /**
   * Enters one level of nesting (an id in progress or an open bracket); pair with {@link leave}.
   * @throws AxialError MODEL_INVALID past the depth cap.
   */
  enter(id: string): void {
    if (this.depth >= bundleLimits.maxDepth) {
      throw this.error(id, `references and brackets nest more than ${bundleLimits.maxDepth} deep`);
    }
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /** Refuses an expression too long to read. @throws AxialError MODEL_INVALID past the length cap. */
  checkExpression(expression: string, id: string): void {
    if (expression.length > bundleLimits.maxExpressionLength) {
      throw this.error(id, `the expression is ${expression.length} characters long; Axial reads up to ${bundleLimits.maxExpressionLength}`);
    }
  }

  /**
   * Charges a list or string an expression is about to build, before it is built.
   * @throws AxialError MODEL_INVALID past the list, string or step cap.
   */
  checkBuilt(kind: 'list' | 'string', length: number, id: string): void {
    const cap = kind === 'list' ? bundleLimits.maxListItems : bundleLimits.maxStringLength;
    if (length > cap) {
      const what = kind === 'list' ? `a list of ${length} items` : `a string of ${length} characters`;
      throw this.error(id, `the expression builds ${what}; Axial stops at ${cap} (does a key add itself to itself, "$@a + @a"?)`);
    }
    this.step(id, kind === 'list' ? length : Math.ceil(length / 16));
  }

  /**
   * Refuses a resolved value whose tree (shared parts counted each time) is
   * past the size cap, or nested past the nesting cap (values built from cached
   * references could nest deeper than any one resolution goes); returns it.
   * @throws AxialError MODEL_INVALID past the size or nesting cap.
   */
  checkValue<T extends BundleValue>(value: T, id: string): T {
    const { size, depth } = this.measure(value);
    if (size > bundleLimits.maxValueNodes) {
      throw this.error(id, `the value holds ${size} items counted as a tree (references repeat what they name); Axial stops at ${bundleLimits.maxValueNodes}`);
    }
    if (depth > bundleLimits.maxNesting) {
      throw this.error(id, `the value nests lists and mappings more than ${bundleLimits.maxNesting} deep`);
    }
    return value;
  }

  /** Tree size and depth of a value, memoised per list and mapping (their parts were measured when they were resolved). */
  private measure(value: BundleValue): Measure {
    if (typeof value !== 'object' || value === null || isBundleMarker(value)) return leaf;
    const known = this.measured.get(value);
    if (known !== undefined) return known;
    let size = 1;
    let depth = 1;
    for (const part of Array.isArray(value) ? value : Object.values(value)) {
      const inner = this.measure(part as BundleValue);
      size += inner.size;
      depth = Math.max(depth, inner.depth + 1);
      if (size > bundleLimits.maxValueNodes) break;
    }
    const result = { size, depth };
    this.measured.set(value, result);
    return result;
  }

  private error(id: string, message: string): AxialError {
    return new AxialError('MODEL_INVALID', `at "${id || '(root)'}": ${message}`, this.file === undefined ? {} : { file: this.file });
  }
}
