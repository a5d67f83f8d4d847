import { BundleBudget } from './BundleBudget.js';
import { describeMarker, isBundleMarker, OpaqueValue, UnevaluatedExpression, type BundleValue } from './BundleValue.js';

/** Looks up a referenced config id (absolute, `#`-separated) and returns its resolved value. */
export type ReferenceLookup = (id: string) => BundleValue;

type Token =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'name'; readonly value: string }
  | { readonly type: 'ref'; readonly value: string }
  | { readonly type: 'op'; readonly value: string };

/** MONAI's string constants that configs spell out (monai/utils/enums.py, CommonKeys; segmentation_template uses them as keys). */
const monaiConstants: Readonly<Record<string, string>> = Object.fromEntries(
  ['monai.utils.CommonKeys', 'monai.utils.enums.CommonKeys'].flatMap((prefix) =>
    Object.entries({ IMAGE: 'image', LABEL: 'label', PRED: 'pred', LOSS: 'loss', METADATA: 'metadata' }).map(([k, v]) => [`${prefix}.${k}`, v]),
  ),
);

/** Thrown inside the evaluator for anything outside the subset; becomes an {@link UnevaluatedExpression}. */
class NotEvaluable extends Error {}

// One capture group per token kind, in the order tokenize reads them: number, string, name, @reference, operator.
// Built from pieces only to keep each line readable; String.raw keeps every backslash as the regex needs it.
const tokenPattern = new RegExp(
  String.raw`\s*(?:` +
    [
      String.raw`(\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)`,
      String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")`,
      String.raw`([A-Za-z_]\w*)`,
      String.raw`@((?:\w|#|::)*)`,
      String.raw`(\*\*|\/\/|==|!=|<=|>=|->|:=|<<|>>|[-+*/%()[\]{},.:<>=!~^&|;])`,
    ].join('|') +
    ')',
  'y',
);

const trailingSpace = /\s*$/y;

function tokenize(source: string, id: string, budget: BundleBudget): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < source.length) {
    // Sticky, so the check reads the rest in place instead of copying it.
    trailingSpace.lastIndex = tokenPattern.lastIndex;
    if (trailingSpace.test(source) && trailingSpace.lastIndex === source.length) break;
    budget.step(id);
    const at = tokenPattern.lastIndex;
    const m = tokenPattern.exec(source);
    if (!m) throw new NotEvaluable(`unexpected character "${source.slice(at).trimStart()[0]}"`);
    if (m[1] !== undefined) tokens.push({ type: 'number', value: Number(m[1].replaceAll('_', '')) });
    else if (m[2] !== undefined) tokens.push({ type: 'string', value: unquote(m[2]) });
    else if (m[3] !== undefined) tokens.push({ type: 'name', value: m[3] });
    else if (m[4] !== undefined) tokens.push({ type: 'ref', value: m[4].replaceAll('::', '#') });
    else tokens.push({ type: 'op', value: m[5]! });
  }
  return tokens;
}

const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => {
    const e = escapes[c];
    if (e === undefined) throw new NotEvaluable(`string escape "\\${c}"`);
    return e;
  });
}

function typeName(value: BundleValue): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'a list';
  if (isBundleMarker(value)) return describeMarker(value);
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

function operand(value: BundleValue): BundleValue {
  if (isBundleMarker(value)) throw new NotEvaluable(`it uses ${describeMarker(value)}`);
  return value;
}

function binary(op: string, a: BundleValue, b: BundleValue, id: string, budget: BundleBudget): BundleValue {
  const x = operand(a);
  const y = operand(b);
  if (typeof x === 'number' && typeof y === 'number') {
    if (op === '+') return x + y;
    if (op === '-') return x - y;
    if (op === '*') return x * y;
    if (y === 0) throw new NotEvaluable('division by zero');
    return x / y;
  }
  if (op === '+' && typeof x === 'string' && typeof y === 'string') {
    budget.checkBuilt('string', x.length + y.length, id);
    return x + y;
  }
  if (op === '+' && Array.isArray(x) && Array.isArray(y)) {
    budget.checkBuilt('list', x.length + y.length, id);
    return [...x, ...y];
  }
  throw new NotEvaluable(`"${op}" on ${typeName(x)} and ${typeName(y)}`);
}

/** Recursive descent over the subset: literals, lists, tuples, + - * /, `a if cond else b`, references, `torch.device(...)`. */
class ExpressionParser {
  private pos = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly lookup: ReferenceLookup,
    private readonly source: string,
    private readonly id: string,
    private readonly budget: BundleBudget,
  ) {}

  parse(): BundleValue {
    const value = this.conditional();
    const extra = this.tokens[this.pos];
    if (extra) throw new NotEvaluable(`unsupported syntax at "${String(extra.value)}"`);
    return value;
  }

  private peekIs(type: Token['type'], value?: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && t.type === type && (value === undefined || t.value === value);
  }

  private expectOp(value: string): void {
    if (!this.peekIs('op', value)) throw new NotEvaluable(`expected "${value}"`);
    this.pos++;
  }

  /** Runs one recursive step of the descent inside the budget's depth, so brackets or `else` chains cannot overflow the stack. */
  private nested<T>(parse: () => T): T {
    this.budget.enter(this.id);
    try {
      return parse();
    } finally {
      this.budget.leave();
    }
  }

  private conditional(): BundleValue {
    return this.nested(() => this.conditionalBody());
  }

  private conditionalBody(): BundleValue {
    const whenTrue = this.sum();
    if (!this.peekIs('name', 'if')) return whenTrue;
    this.pos++;
    const condition = operand(this.sum());
    if (!this.peekIs('name', 'else')) throw new NotEvaluable('expected "else"');
    this.pos++;
    const whenFalse = this.conditional();
    if (typeof condition !== 'boolean') throw new NotEvaluable(`the condition is ${typeName(condition)}, not True or False`);
    return condition ? whenTrue : whenFalse;
  }

  private sum(): BundleValue {
    let value = this.product();
    while (this.peekIs('op', '+') || this.peekIs('op', '-')) {
      const op = String(this.tokens[this.pos++]!.value);
      value = binary(op, value, this.product(), this.id, this.budget);
    }
    return value;
  }

  private product(): BundleValue {
    let value = this.unary();
    while (this.peekIs('op', '*') || this.peekIs('op', '/')) {
      const op = String(this.tokens[this.pos++]!.value);
      value = binary(op, value, this.unary(), this.id, this.budget);
    }
    return value;
  }

  private unary(): BundleValue {
    if (this.peekIs('op', '-') || this.peekIs('op', '+')) {
      const negate = this.tokens[this.pos++]!.value === '-';
      const value = operand(this.nested(() => this.unary()));
      if (typeof value !== 'number') throw new NotEvaluable(`unary minus on ${typeName(value)}`);
      return negate ? -value : value;
    }
    return this.atom();
  }

  private atom(): BundleValue {
    const token = this.tokens[this.pos++];
    if (token === undefined) throw new NotEvaluable('unexpected end');
    if (token.type === 'number' || token.type === 'string') return token.value;
    if (token.type === 'ref') return this.lookup(token.value);
    if (token.type === 'name') return this.name(token.value);
    if (token.value === '[') return this.sequence(']');
    if (token.value === '(') return this.parenthesised();
    throw new NotEvaluable(`unsupported syntax at "${token.value}"`);
  }

  private name(name: string): BundleValue {
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    if (name === 'torch' && this.peekIs('op', '.') && this.tokens[this.pos + 1]?.value === 'device') {
      this.pos += 2;
      this.skipCall();
      return new OpaqueValue('torch device', this.source);
    }
    const dotted = this.dottedName(name);
    if (Object.hasOwn(monaiConstants, dotted)) return monaiConstants[dotted]!;
    throw new NotEvaluable(`the name "${name}" is outside the subset Axial evaluates`);
  }

  /** `a.b.c` from its first name on, consumed only when it names one of {@link monaiConstants}. */
  private dottedName(first: string): string {
    let dotted = first;
    let pos = this.pos;
    while (this.tokens[pos]?.type === 'op' && this.tokens[pos]!.value === '.' && this.tokens[pos + 1]?.type === 'name') {
      dotted += `.${this.tokens[pos + 1]!.value}`;
      pos += 2;
    }
    if (Object.hasOwn(monaiConstants, dotted)) this.pos = pos;
    return dotted;
  }

  /** Skips `( ... )` without evaluating what is inside. */
  private skipCall(): void {
    this.expectOp('(');
    for (let depth = 1; depth > 0;) {
      const t = this.tokens[this.pos++];
      if (t === undefined) throw new NotEvaluable('unbalanced parentheses');
      if (t.type === 'op' && (t.value === '(' || t.value === '[')) depth++;
      if (t.type === 'op' && (t.value === ')' || t.value === ']')) depth--;
    }
  }

  private sequence(close: string): BundleValue[] {
    const items: BundleValue[] = [];
    while (!this.peekIs('op', close)) {
      items.push(this.conditional());
      if (!this.peekIs('op', ',')) break;
      this.pos++;
    }
    this.expectOp(close);
    return items;
  }

  private parenthesised(): BundleValue {
    if (this.peekIs('op', ')')) {
      this.pos++;
      return [];
    }
    const first = this.conditional();
    if (this.peekIs('op', ')')) {
      this.pos++;
      return first;
    }
    this.expectOp(',');
    return [first, ...this.sequence(')')];
  }
}

/**
 * Evaluates a MONAI `$` expression (given without its `$`) if it is in Axial's
 * small safe subset: numbers, strings, True/False/None, lists and tuples,
 * `+ - * /` on numbers, `+` on strings and on lists, `a if cond else b` with a
 * boolean condition, `@id` references (already absolute) and `torch.device(...)`
 * (an opaque value). Anything else becomes an {@link UnevaluatedExpression}.
 * The work is charged to `budget` (see {@link BundleBudget}): lists and
 * strings it would build past their caps, brackets nested too deep, too many
 * tokens.
 * @throws Whatever `lookup` throws for an unknown reference or a cycle; AxialError MODEL_INVALID from the budget, naming `id`.
 */
export function evaluateBundleExpression(
  expression: string,
  id: string,
  lookup: ReferenceLookup,
  budget: BundleBudget = new BundleBudget(undefined),
): BundleValue {
  budget.checkExpression(expression, id);
  try {
    return new ExpressionParser(tokenize(expression, id, budget), lookup, expression.trim(), id, budget).parse();
  } catch (error) {
    if (error instanceof NotEvaluable) return new UnevaluatedExpression(expression.trim(), id, error.message);
    throw error;
  }
}
