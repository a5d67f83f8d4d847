import type { ChannelExpression, SegmentLabel } from '../ModelSpec.js';

/** One label of a Lambdad merge, with the output channel whose test decides it (absent when none does). */
export interface MergedLabel extends SegmentLabel {
  readonly channel?: number;
}

/** "A", "A or B", "A, B or C". */
const either = (names: readonly string[]): string => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`);

/** The channel a where's condition tests (`x[[k]] > t` or `t < x[[k]]`), if it tests exactly one. */
function testedChannel(condition: ChannelExpression): number | undefined {
  if (condition.kind === 'channel') return condition.index;
  if (condition.kind !== 'compare') return undefined;
  const channels = [condition.left, condition.right].filter((s) => s.kind === 'channel');
  return channels.length === 1 && channels[0]!.kind === 'channel' ? channels[0]!.index : undefined;
}

/**
 * Names the merge's labels after the channels that decide them. In torch.where's nesting a label reached through
 * the false branches of earlier tests holds only voxels those channels left: in brats'
 * `where(x[[2]] > 0, 4, where(x[[0]] > 0, 1, where(x[[1]] > 0, 2, 0)))` label 4 is "Enhancing tumor", 1 is
 * "Tumor core, not Enhancing tumor" and 2 "Whole tumor, not Enhancing tumor or Tumor core" (the oedema), as
 * clinicians read BraTS' labels. A label no single channel decides is "label L"; label 0 is background and unnamed.
 */
export function mergedLabelNames(expression: ChannelExpression, channelNames: readonly SegmentLabel[]): MergedLabel[] {
  const nameOf = (c: number): string => channelNames.find((l) => l.value === c)?.name ?? `channel ${c}`;
  const labels = new Map<number, MergedLabel>();
  const visit = (e: ChannelExpression, excluded: readonly number[]): void => {
    if (e.kind !== 'where') return;
    const channel = testedChannel(e.condition);
    if (e.whenTrue.kind === 'literal' && e.whenTrue.value !== 0 && !labels.has(e.whenTrue.value)) {
      const value = e.whenTrue.value;
      if (channel === undefined) labels.set(value, { value, name: `label ${value}` });
      else {
        const earlier = excluded.filter((c) => c !== channel).map(nameOf);
        labels.set(value, { value, name: earlier.length > 0 ? `${nameOf(channel)}, not ${either(earlier)}` : nameOf(channel), channel });
      }
    }
    visit(e.whenTrue, excluded);
    visit(e.whenFalse, channel === undefined || excluded.includes(channel) ? excluded : [...excluded, channel]);
  };
  visit(expression, []);
  if (expression.kind === 'compare' && !labels.has(1)) labels.set(1, { value: 1, name: 'label 1' });
  const addLiterals = (e: ChannelExpression): void => {
    if (e.kind === 'literal' && e.value !== 0 && !labels.has(e.value)) labels.set(e.value, { value: e.value, name: `label ${e.value}` });
    if (e.kind === 'where') [e.whenTrue, e.whenFalse].forEach(addLiterals);
  };
  addLiterals(expression);
  return [...labels.values()].sort((a, b) => a.value - b.value);
}
