import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SegmentDef, SegmentInfo } from '../../../../core/contract.js';
import { SegmentRow, segmentDetails } from '../../../../renderer/components/SegmentRow.js';

const ct: [number, number] = [-1024, 1839];
const stat = { layer: 0, value: 5, voxels: 366708, volumeMl: 699.4417, mean: 89.31, sd: 22.74, min: -112, max: 411 } as unknown as SegmentInfo;
const liver = { layer: 0, value: 5, name: 'liver', colour: [74, 190, 210], locked: false, algorithmType: 'MANUAL', algorithmName: '' } as unknown as SegmentDef;

function row(expanded: boolean, segment: SegmentDef = liver): string {
  const props = {
    segment,
    stat,
    visible: true,
    active: false,
    expanded,
    units: 'HU',
    range: ct,
    dispatch: () => undefined,
    onEdit: () => undefined,
    onToggle: () => undefined,
  };
  return renderToStaticMarkup(createElement('table', null, createElement('tbody', null, createElement(SegmentRow, props))));
}

describe('SegmentRow', () => {
  it('shows mL to one decimal and the mean in whole HU, keeping the full figures on the row', () => {
    const html = row(false);
    expect(html).toContain('data-stat="ml">699.4<');
    expect(html).toContain('data-stat="mean">89<');
    expect(html).toContain('data-ml="699.4417"');
    expect(html).toContain('data-sd="22.74"');
    expect(html).toContain('title="liver: 366,708 voxels · SD 23 HU · min -112 HU · max 411 HU"');
    expect(html).not.toContain('segment-details-0:5');
  });

  it('always has Lock and Delete; Delete is refused while locked', () => {
    expect(row(false)).toMatch(/data-testid="segment-lock-0:5"/);
    expect(row(false)).toMatch(/aria-label="Delete liver" title="Delete" data-testid="segment-delete-0:5">/);
    expect(row(false, { ...liver, locked: true })).toMatch(/title="Unlock to delete" data-testid="segment-delete-0:5" disabled=""/);
  });

  it('opens a details row with voxels, SD, min and max', () => {
    const html = row(true);
    expect(html).toContain('aria-expanded="true"');
    expect(html).toMatch(/data-testid="segment-details-0:5"><td colSpan="9">366,708 voxels · SD 23 HU · min -112 HU · max 411 HU · manual</);
  });

  it('says nothing before main has counted, and rounds to the range of a normalised map', () => {
    expect(segmentDetails(undefined, 'HU', ct)).toBeNull();
    const small = { ...stat, mean: 0.4567, sd: 0.1234, min: 0, max: 0.98765 } as SegmentInfo;
    expect(segmentDetails(small, null, [0, 1])).toBe('366,708 voxels · SD 0.12 · min 0.00 · max 0.99');
  });
});
