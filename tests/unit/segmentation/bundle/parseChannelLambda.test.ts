import { describe, expect, it } from 'vitest';
import { parseChannelLambda } from '../../../../main/segmentation/bundle/parseChannelLambda.js';
import { TransformProblem } from '../../../../main/segmentation/bundle/TransformArgs.js';
import { mergeChannels } from '../../../../main/segmentation/pipeline/mergeChannels.js';
import { mergedLabelNames } from '../../../../main/segmentation/pipeline/mergedLabelNames.js';

const brats = 'lambda x: torch.where(x[[2]] > 0, 4, torch.where(x[[0]] > 0, 1, torch.where(x[[1]] > 0, 2, 0)))';

function problem(source: string, channels = 3): string {
  try {
    parseChannelLambda(source, channels);
  } catch (error) {
    if (error instanceof TransformProblem) return error.message;
    throw error;
  }
  throw new Error(`"${source}" was accepted`);
}

/** All 2^3 on/off combinations of three channels, voxel n having channel c on when bit c of n is set. */
const masks = [0, 1, 2].map((c) => Uint8Array.from({ length: 8 }, (_, n) => (n >> c) & 1));

describe('parseChannelLambda and mergeChannels (MONAI Lambdad with torch.where)', () => {
  it('evaluates brats_mri_segmentation’s merge as torch.where does, on every combination of channels', () => {
    const labels = mergeChannels(parseChannelLambda(brats, 3), masks);
    // ET (channel 2) wins, then TC (0), then WT (1): torch.where's nesting order.
    expect(Array.from(labels)).toEqual([0, 1, 2, 1, 4, 4, 4, 4]);
    expect(
      mergedLabelNames(parseChannelLambda(brats, 3), [
        { value: 0, name: 'Tumor core' },
        { value: 1, name: 'Whole tumor' },
        { value: 2, name: 'Enhancing tumor' },
      ]),
    ).toEqual([
      // Label 1 holds core voxels that are not enhancing, label 2 whole-tumour voxels outside both (oedema).
      { value: 1, name: 'Tumor core, not Enhancing tumor', channel: 0 },
      { value: 2, name: 'Whole tumor, not Enhancing tumor or Tumor core', channel: 1 },
      { value: 4, name: 'Enhancing tumor', channel: 2 },
    ]);
  });

  it('reads x[k] like x[[k]], other comparisons, literals on the left, brackets and another parameter name', () => {
    const labels = mergeChannels(parseChannelLambda('lambda img: torch.where((0 < img[1]), torch.where(img[0] >= 1, 3, 300), 7)', 3), masks);
    expect(Array.from(labels)).toEqual([7, 7, 300, 3, 7, 7, 300, 3]);
    // A label past 255 makes a uint16 map.
    expect(labels).toBeInstanceOf(Uint16Array);
    expect(Array.from(mergeChannels(parseChannelLambda('lambda x: x[[0]] != x[[1]]', 3), masks))).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
  });

  it('names what lies outside the subset, and channels the output lacks', () => {
    expect(problem('lambda x: torch.nan_to_num(x, nan=255)')).toBe('torch.nan_to_num is outside what Axial evaluates (torch.where only)');
    expect(problem('lambda x: torch.where(x[[3]] > 0, 1, 0)')).toBe("channel 3 is not one of the output's 3 channels");
    expect(problem('lambda x: torch.where(x[[0]] > 0, 1.5, 0)')).toBe('the label 1.5 is not a whole number from 0 to 65535');
    expect(problem('lambda x: torch.where(x[[0]] > 0, -1, 0)')).toBe('the label -1 is not a whole number from 0 to 65535');
    expect(problem('lambda x: torch.where(x[[0]] > 0, x[[1]], 0)')).toBe('a where branch that is a channel value is not a label');
    expect(problem('lambda x: x.argmax(0)')).toBe('expected "[", found "."');
    expect(problem('lambda x: x[[0]] + x[[1]]')).toBe('"+" is outside what Axial evaluates');
    expect(problem('lambda x: x[[0]]')).toBe('the function returns a channel as it is, which is not a label map');
    expect(problem('lambda x: __import__(os)')).toBe('"__import__" is outside what Axial evaluates (torch.where, comparisons, x[[k]], numbers)');
    expect(problem('lambda x: __import__("os")')).toBe('the character " is outside what Axial evaluates');
    expect(problem('x: 1')).toBe('expected "lambda", found "x"');
    expect(problem(`lambda x: ${'('.repeat(70)}x[0]${')'.repeat(70)}`)).toBe('the function nests deeper than 64 levels');
  });
});
