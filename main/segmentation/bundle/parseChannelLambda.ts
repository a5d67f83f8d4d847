import type { ChannelExpression } from '../ModelSpec.js';
import { TransformProblem } from './TransformArgs.js';

type Compare = Extract<ChannelExpression, { kind: 'compare' }>['op'];

const tokenPattern = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(>=|<=|==|!=|[-<>()[\],.:=*+/]))/y;
const comparisons: readonly Compare[] = ['>', '>=', '<', '<=', '==', '!='];
/** Labels are written as uint8 or uint16; a where branch outside that is not a label. */
const maxLabel = 65535;

type Token = { readonly type: 'number' | 'name' | 'op'; readonly text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (source.slice(tokenPattern.lastIndex).trim() !== '') {
    const at = tokenPattern.lastIndex;
    const m = tokenPattern.exec(source);
    if (!m) throw new TransformProblem(`the character ${source.slice(at).trim()[0]} is outside what Axial evaluates`);
    tokens.push(m[1] !== undefined ? { type: 'number', text: m[1] } : m[2] !== undefined ? { type: 'name', text: m[2] } : { type: 'op', text: m[3]! });
  }
  return tokens;
}

/** Recursive descent over `lambda x: body`; a body deeper than 64 brackets is refused, as a config has no need of it. */
class LambdaParser {
  private pos = 0;
  private depth = 0;
  private parameter = '';
  constructor(
    private readonly tokens: readonly Token[],
    private readonly channels: number,
  ) {}

  parse(): ChannelExpression {
    this.expectName('lambda');
    this.parameter = this.next('name', 'a parameter name').text;
    this.expect(':');
    const body = this.comparison();
    const extra = this.tokens[this.pos];
    if (extra) throw new TransformProblem(`"${extra.text}" is outside what Axial evaluates`);
    return body;
  }

  private next(type: Token['type'], what: string): Token {
    const token = this.tokens[this.pos++];
    if (token?.type !== type) throw new TransformProblem(`expected ${what}${token ? `, found "${token.text}"` : ''}`);
    return token;
  }

  private expect(op: string): void {
    const token = this.tokens[this.pos++];
    if (token?.type !== 'op' || token.text !== op) throw new TransformProblem(`expected "${op}"${token ? `, found "${token.text}"` : ''}`);
  }

  private expectName(name: string): void {
    const token = this.tokens[this.pos++];
    if (token?.type !== 'name' || token.text !== name) throw new TransformProblem(`expected "${name}"${token ? `, found "${token.text}"` : ''}`);
  }

  private peek(op: string): boolean {
    const token = this.tokens[this.pos];
    return token?.type === 'op' && token.text === op;
  }

  private comparison(): ChannelExpression {
    if (++this.depth > 64) throw new TransformProblem('the function nests deeper than 64 levels');
    try {
      const left = this.primary();
      const token = this.tokens[this.pos];
      if (token?.type !== 'op' || !comparisons.includes(token.text as Compare)) return left;
      this.pos++;
      return { kind: 'compare', op: token.text as Compare, left, right: this.primary() };
    } finally {
      this.depth--;
    }
  }

  private primary(): ChannelExpression {
    const token = this.tokens[this.pos];
    if (token === undefined) throw new TransformProblem('the function ends early');
    if (token.type === 'number' || (token.type === 'op' && token.text === '-')) return this.literal();
    if (token.type === 'op' && token.text === '(') {
      this.pos++;
      const inner = this.comparison();
      this.expect(')');
      return inner;
    }
    if (token.type === 'name' && token.text === this.parameter) {
      this.pos++;
      return this.channel();
    }
    if (token.type === 'name' && token.text === 'torch') return this.where();
    throw new TransformProblem(`"${token.text}" is outside what Axial evaluates (torch.where, comparisons, ${this.parameter}[[k]], numbers)`);
  }

  private literal(): ChannelExpression {
    const negative = this.peek('-');
    if (negative) this.pos++;
    const value = Number(this.next('number', 'a number').text);
    return { kind: 'literal', value: negative ? -value : value };
  }

  /** `x[[k]]` (channel k, kept as a channel) or `x[k]` (channel k); either is channel k's value at each voxel. */
  private channel(): ChannelExpression {
    this.expect('[');
    const listed = this.peek('[');
    if (listed) this.pos++;
    const text = this.next('number', 'a channel number').text;
    const index = Number(text);
    if (!Number.isInteger(index) || index >= this.channels) {
      throw new TransformProblem(`channel ${text} is not one of the output's ${this.channels} channels`);
    }
    if (listed) this.expect(']');
    this.expect(']');
    return { kind: 'channel', index };
  }

  private where(): ChannelExpression {
    this.pos++;
    this.expect('.');
    const name = this.next('name', 'torch.where').text;
    if (name !== 'where') throw new TransformProblem(`torch.${name} is outside what Axial evaluates (torch.where only)`);
    this.expect('(');
    const condition = this.comparison();
    this.expect(',');
    const whenTrue = this.branch();
    this.expect(',');
    const whenFalse = this.branch();
    this.expect(')');
    return { kind: 'where', condition, whenTrue, whenFalse };
  }

  /** A where branch is a label: a whole number in 0..65535, a comparison (0 or 1) or another where. */
  private branch(): ChannelExpression {
    const value = this.comparison();
    if (value.kind === 'literal' && (!Number.isInteger(value.value) || value.value < 0 || value.value > maxLabel)) {
      throw new TransformProblem(`the label ${value.value} is not a whole number from 0 to ${maxLabel}`);
    }
    if (value.kind === 'channel') throw new TransformProblem('a where branch that is a channel value is not a label');
    return value;
  }
}

/**
 * Reads a MONAI Lambdad function that merges output channels into one label map (brats_mri_segmentation's
 * `lambda x: torch.where(x[[2]] > 0, 4, torch.where(x[[0]] > 0, 1, torch.where(x[[1]] > 0, 2, 0)))`): only
 * torch.where, comparisons, channel indexing (`x[[k]]`, `x[k]`) and number literals, with whole-number labels.
 * @throws TransformProblem naming what lies outside that subset, or a channel the output lacks.
 */
export function parseChannelLambda(source: string, channels: number): ChannelExpression {
  const expression = new LambdaParser(tokenize(source), channels).parse();
  if (expression.kind === 'channel') throw new TransformProblem('the function returns a channel as it is, which is not a label map');
  if (expression.kind === 'literal') throw new TransformProblem('the function returns a constant');
  return expression;
}
