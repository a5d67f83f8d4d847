import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalSegmentatorLabels } from '../../main/dicomSeg/totalSegmentatorLabels.js';
import type { Volume } from '../../main/volume/Volume.js';
import { repoRoot } from '../repoRoot.js';
import { hasSharedData, noSharedDataReason } from '../sharedData.js';
import { canLaunchViewer, cannotLaunchReason, hookTimeoutMs, launchViewer, type ViewerSession } from './pages/launchViewer.js';
import { ctSeriesPath, deepestVoxel, labelsOnGrid, liverLabel, loadFirstVolume, sliceWithMost, totalsegLabelsPath } from './support/referenceData.js';
import { saveScreenshot } from './support/screenshots.js';

const reason = canLaunchViewer ? noSharedDataReason : cannotLaunchReason;

describe.skipIf(!hasSharedData || !canLaunchViewer)(`organ names in the segment list (${reason})`, () => {
  let session: ViewerSession;
  let ct: Volume;
  let labels: Uint16Array;
  let present: number[];
  const scratch = mkdtempSync(join(tmpdir(), 'axial-e2e-labelNames-'));

  /** The names the segment list shows, by value. */
  async function shownNames(): Promise<[number, string][]> {
    const { viewer } = session;
    await viewer.openTab('segments');
    const values = await viewer.segments.values();
    return Promise.all(values.map(async (value) => [value, await viewer.segments.name(value)] as [number, string]));
  }

  beforeAll(async () => {
    ct = await loadFirstVolume(ctSeriesPath);
    labels = await labelsOnGrid(totalsegLabelsPath, ct);
    present = [...new Set(labels)].filter((v) => v !== 0).sort((a, b) => a - b);
    session = await launchViewer();
    await session.viewer.openScan(ctSeriesPath, 'folder');
    await session.viewer.choosePreset('soft-tissue');
  }, hookTimeoutMs);
  afterAll(async () => {
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, hookTimeoutMs);

  it("TotalSegmentator's map opens with its organ names, not 'Label N', and the readout names the organ", async () => {
    const { viewer } = session;
    await viewer.openLabels(totalsegLabelsPath);
    const names = await shownNames();
    expect(names.map(([v]) => v)).toEqual(present);
    expect(names.length).toBe(31);
    for (const [value, name] of names) expect(name, `label ${value}`).toBe(totalSegmentatorLabels.get(value));
    expect(names.slice(0, 3)).toEqual([
      [1, 'spleen'],
      [5, 'liver'],
      [6, 'stomach'],
    ]);

    const k = sliceWithMost(ct, labels, liverLabel);
    await viewer.scrollTo('axial', k);
    const liver = deepestVoxel(ct, labels, liverLabel, k);
    await viewer.clickVoxel('axial', liver);
    await viewer.hoverVoxel('axial', liver);
    expect((await viewer.readout()).segment).toBe('liver');
    await saveScreenshot(viewer, 'ct-totalseg-names', true);
    expect(session.errors).toEqual([]);
  });

  it('exports a Slicer .seg.nrrd naming every organ (no ITK-SNAP file beside it: the header holds the names), and reopens it with the names', async () => {
    const { viewer } = session;
    const path = join(scratch, 'organs.seg.nrrd');
    expect(await viewer.editing.export('nrrd', path)).toBe('Saved organs.seg.nrrd');
    expect(existsSync(join(scratch, 'organs.label.txt'))).toBe(false);
    const checker = join(repoRoot, 'tests', 'fixtures', 'checkLabelExport.py');
    const seen = JSON.parse(execFileSync('/usr/bin/python3', [checker, path], { encoding: 'utf8' })) as { segNrrd: [number, string, number[]][] };
    const expected = present.map((v) => [v, totalSegmentatorLabels.get(v)]);
    expect(seen.segNrrd.map(([v, n]) => [v, n])).toEqual(expected);
    // The colours in the file are the ones the segment list shows.
    await viewer.openTab('segments');
    for (const [value, , colour] of seen.segNrrd) expect(colour, `label ${value}`).toEqual(await viewer.segments.colour(value));

    // Opened again: the names come from the Slicer header.
    await viewer.openLabels(path);
    expect((await shownNames()).map(([v, n]) => [v, n])).toEqual(expected);
    expect(session.errors).toEqual([]);
  });
});
