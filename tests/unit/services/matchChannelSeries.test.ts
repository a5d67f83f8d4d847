import { describe, expect, it } from 'vitest';
import { matchChannelSeries } from '../../../main/services/matchChannelSeries.js';

const brats = ['T1c', 'T1', 'T2', 'FLAIR'];

describe('matchChannelSeries', () => {
  it('pre-chooses the BraTS channels from scanner descriptions in any order, a post-contrast T1 never as the plain T1', () => {
    const series = [
      { index: 1, description: 'Localizer' },
      { index: 2, description: 'AX T2 FLAIR' },
      { index: 3, description: 'T1 MPRAGE post Gd' },
      { index: 4, description: 't2_tse_tra' },
      { index: 5, description: 'T1 MPRAGE' },
    ];
    expect(matchChannelSeries(brats, series)).toEqual([3, 5, 4, 2]);
  });

  it('reads the short forms bundles and BraTS files use', () => {
    const series = ['t1ce', 't1', 't2w', 'flair'].map((description, n) => ({ index: n + 10, description }));
    expect(matchChannelSeries(brats, series)).toEqual([10, 11, 12, 13]);
    // BraTS 2023's files, one series each when their folder is opened: t1n is the native T1, t2f the FLAIR.
    const files = ['t1c', 't1n', 't2f', 't2w'].map((s, n) => ({ index: n + 1, description: `BraTS-GLI-00001-000-${s}.nii.gz` }));
    expect(matchChannelSeries(brats, files)).toEqual([1, 2, 4, 3]);
    expect(matchChannelSeries(['t1c'], [{ index: 1, description: 'T1+C AX' }])).toEqual([1]);
    expect(matchChannelSeries(['t1c'], [{ index: 1, description: 'C+ T1 SE' }])).toEqual([1]);
  });

  it('leaves a channel open where nothing matches, and gives each series to one channel only', () => {
    const series = [
      { index: 1, description: 'T1 SE' },
      { index: 2, description: 'DWI b1000' },
    ];
    expect(matchChannelSeries(brats, series)).toEqual([null, 1, null, null]);
    expect(matchChannelSeries(['T1', 'T1'], [{ index: 7, description: 'T1w' }])).toEqual([7, null]);
  });

  it('matches channels that are not MR sequences by their words (contrast phases)', () => {
    const series = [
      { index: 1, description: 'Abdomen 5.0 Venous Phase' },
      { index: 2, description: 'Abdomen 5.0 Arterial Phase' },
      { index: 3, description: 'Delayed excretory' },
    ];
    expect(matchChannelSeries(['arterial', 'venous', 'excretory'], series)).toEqual([2, 1, 3]);
    expect(matchChannelSeries(['portal venous'], series)).toEqual([null]);
  });
});
