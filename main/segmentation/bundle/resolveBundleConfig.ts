import { AxialError } from '../../errors/AxialError.js';
import { BundleBudget } from './BundleBudget.js';
import { checkConfigNesting } from './checkConfigNesting.js';
import { isBundleMarker, isBundleObject, UnresolvedMacro, type BundleObject, type BundleValue } from './BundleValue.js';
import { evaluateBundleExpression } from './evaluateBundleExpression.js';

export interface ResolveBundleConfigOptions {
  /** The config file, for error messages. */
  readonly file?: string;
  /**
   * Reads another config file named by a `%file#key` macro (path as written).
   * Returns undefined when it cannot; the macro is then reported, not guessed.
   * It may throw (a file outside the bundle), and that error stands.
   */
  readonly readOtherConfig?: (path: string) => unknown;
}

/** Resolved values of the ids asked for; an id absent from the config maps to undefined. */
export type ResolvedBundleConfig = ReadonlyMap<string, BundleValue | undefined>;

/** A macro's target naming another config file: the file, then the key in it. */
export const configFilePattern = /^(.*?\.(?:json|ya?ml))(?:(?:#|::)(.*))?$/i;

/** Splits a `#`- or `::`-separated id; `''` is the root. */
function splitId(id: string): string[] {
  return id === '' ? [] : id.split(/#|::/);
}

function joinId(parts: readonly (string | number)[]): string {
  return parts.join('#');
}

/** MONAI's relative ids: `@#a` is `a` beside the current item, `@##a` one level up (same for `%`). */
function absolutize(value: string, id: string): string {
  const current = splitId(id);
  return value.replaceAll('::', '#').replace(/([@%])(#+)/g, (whole, sym: string, hashes: string) => {
    const up = hashes.length;
    if (up > current.length) return whole;
    const base = current.slice(0, current.length - up);
    return sym + (base.length > 0 ? `${joinId(base)}#` : '');
  });
}

/** Walks the raw config along an id's parts; undefined when there is nothing there. */
function lookUpRaw(root: unknown, id: string): unknown {
  let node: unknown = root;
  for (const part of splitId(id)) {
    if (Array.isArray(node) && /^\d+$/.test(part)) node = node[Number(part)];
    else if (isBundleObject(node)) {
      node = Object.hasOwn(node, part) ? (node as Record<string, unknown>)[part] : undefined;
    } else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

interface MacroContext {
  readonly root: unknown;
  readonly options: ResolveBundleConfigOptions;
  readonly budget: BundleBudget;
}

/**
 * Replaces every `%key` / `%file.json#key` macro by a copy of what it names, as
 * MONAI does before resolving anything (macros are not recursive). One that
 * cannot be read becomes an {@link UnresolvedMacro}, reported only if used.
 * Every node copied is charged to the budget: a big key named by many macros
 * would otherwise multiply. Recursion is safe: the config's nesting was checked by
 * resolveBundleConfig, and every other config file's by readConfigFile when it was read.
 */
function expandMacros(node: unknown, id: string, context: MacroContext): unknown {
  context.budget.step(id);
  if (typeof node === 'string') return node.startsWith('%') ? macroContent(node, id, context) : node;
  if (Array.isArray(node)) return node.map((v, i) => expandMacros(v, joinId([...splitId(id), i]), context));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = expandMacros(v, joinId([...splitId(id), k]), context);
  return out;
}

function macroContent(macro: string, id: string, context: MacroContext): unknown {
  const target = absolutize(macro, id).slice(1);
  const fileMatch = configFilePattern.exec(target);
  let source = context.root;
  if (fileMatch) {
    source = context.options.readOtherConfig?.(fileMatch[1]!);
    if (source === undefined) return new UnresolvedMacro(macro, id, `another config file (${fileMatch[1]}) is not read`);
  }
  const content = lookUpRaw(source, fileMatch ? (fileMatch[2] ?? '') : target);
  if (content === undefined) return new UnresolvedMacro(macro, id, 'it names nothing');
  return copyCharged(content, id, context.budget);
}

/** A deep copy of plain config data (what structuredClone would give), one step per node. */
function copyCharged(node: unknown, id: string, budget: BundleBudget): unknown {
  budget.step(id);
  if (Array.isArray(node)) return node.map((v) => copyCharged(v, id, budget));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = copyCharged(v, id, budget);
  return out;
}

/** Resolves ids of one config on demand, caching results and tracking the ids in progress to find cycles. */
class BundleConfigResolver {
  private readonly cache = new Map<string, BundleValue>();
  private readonly inProgress: string[] = [];

  private readonly root: unknown;
  private readonly budget: BundleBudget;

  constructor(
    config: unknown,
    private readonly options: ResolveBundleConfigOptions,
  ) {
    this.budget = new BundleBudget(options.file);
    checkConfigNesting(config, options.file);
    this.root = expandMacros(config, '', { root: config, options, budget: this.budget });
  }

  resolveId(id: string, referencedFrom?: string): BundleValue {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    this.budget.step(id);
    const loop = this.inProgress.indexOf(id);
    if (loop >= 0) {
      const chain = [...this.inProgress.slice(loop), id].map((i) => `@${i}`).join(' → ');
      throw this.error(`reference cycle: ${chain}`);
    }
    const raw = lookUpRaw(this.root, id);
    if (raw === undefined) {
      throw this.error(`unknown reference @${id}${referencedFrom === undefined ? '' : ` (used at ${referencedFrom})`}`);
    }
    this.budget.enter(id);
    this.inProgress.push(id);
    try {
      const value = this.budget.checkValue(this.resolveRaw(raw, id), id);
      this.cache.set(id, value);
      return value;
    } finally {
      this.inProgress.pop();
      this.budget.leave();
    }
  }

  private resolveRaw(raw: unknown, id: string): BundleValue {
    if (raw === null || typeof raw === 'boolean' || typeof raw === 'number' || isBundleMarker(raw)) return raw;
    if (typeof raw === 'string') return this.resolveString(raw, id);
    if (Array.isArray(raw)) return raw.map((_, i) => this.resolveId(joinId([...splitId(id), i])));
    if (typeof raw === 'object') {
      const out: Record<string, BundleValue> = {};
      for (const key of Object.keys(raw)) out[key] = this.resolveId(joinId([...splitId(id), key]));
      return out as BundleObject;
    }
    throw this.error(`${id} holds a ${typeof raw}, which a config cannot`);
  }

  private resolveString(raw: string, id: string): BundleValue {
    if (raw.startsWith('%')) return new UnresolvedMacro(raw, id, 'a macro inside a macro is not supported');
    if (raw.startsWith('$')) {
      return evaluateBundleExpression(absolutize(raw.slice(1), id), id, (ref) => this.resolveId(ref, id), this.budget);
    }
    const whole = /^@((?:\w|#|::)*)$/.exec(raw.startsWith('@') ? absolutize(raw, id) : '');
    return whole ? this.resolveId(whole[1]!.replaceAll('::', '#'), id) : raw;
  }

  private error(message: string): AxialError {
    return new AxialError('MODEL_INVALID', message, this.options.file === undefined ? {} : { file: this.options.file });
  }
}

/**
 * Resolves the given ids of a MONAI bundle config (e.g. `preprocessing`,
 * `inferer`, `network_def#in_channels`), and only what they depend on:
 * `@id` references (`#` or `::` separated, relative `@#id` too), `%` macros,
 * and `$` expressions in the small subset {@link evaluateBundleExpression}
 * evaluates; other expressions become markers the caller reports. All ids are
 * resolved together, so two references to one id give the same object.
 * The work is bounded by {@link BundleBudget}'s limits (list and string sizes,
 * nesting, steps), each cap a MODEL_INVALID naming the file and the key.
 * @throws AxialError MODEL_INVALID for a reference cycle, an unknown `@id`, or a config past a limit;
 *   whatever `readOtherConfig` throws.
 */
export function resolveBundleConfig(config: unknown, ids: readonly string[], options: ResolveBundleConfigOptions = {}): ResolvedBundleConfig {
  const resolver = new BundleConfigResolver(config, options);
  const resolved = new Map<string, BundleValue | undefined>();
  for (const id of ids) {
    const normalized = id.replaceAll('::', '#');
    resolved.set(id, lookUpRaw(config, normalized) === undefined ? undefined : resolver.resolveId(normalized));
  }
  return resolved;
}
