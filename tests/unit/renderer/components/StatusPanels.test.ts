import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RecoveryInfo } from '../../../../core/contract.js';
import { RecoveryBanner } from '../../../../renderer/components/StatusPanels.js';

const info: RecoveryInfo = { maskName: 'CT segmentation', savedAt: '2026-11-25T10:00:00Z', edits: 12, dropped: 0, damage: null };
const banner = (recovery: RecoveryInfo): string => renderToStaticMarkup(RecoveryBanner({ recovery, onRestore: () => undefined, onDiscard: () => undefined }));
const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('RecoveryBanner', () => {
  it('offers the edits by count, and says nothing of damage when the journal is whole', () => {
    const html = banner(info);
    expect(text(html)).toMatch(/^Axial closed with unsaved edits to “CT segmentation” \(last at .+\)\. Restore 12 edits Discard$/);
    expect(html).not.toContain('recovery-dropped');
    expect(banner({ ...info, edits: 1 })).toContain('Restore 1 edit<');
  });

  it('says how many damaged edits could not be recovered, and why: short reasons inline, long ones behind Details', () => {
    const short = banner({ ...info, dropped: 2, damage: 'record 13 fails its checksum' });
    expect(text(short)).toContain('Restore 12 edits (2 damaged edits could not be recovered: record 13 fails its checksum) Discard');
    expect(short).not.toContain('<details');
    const long = 'record 13 fails its checksum; the 1 record after it cannot be read past the damage, so it is dropped as well';
    const html = banner({ ...info, dropped: 1, damage: long });
    expect(text(html)).toContain('(1 damaged edit could not be recovered)');
    expect(html).toMatch(/<details data-testid="recovery-details"><summary>Details<\/summary>record 13 fails/);
  });

  it('offers only Discard when not even the first edit survived', () => {
    const html = banner({ ...info, edits: 0, dropped: 4, damage: 'edit 1 fails its checksum' });
    expect(html).not.toContain('recovery-restore');
    expect(text(html)).toContain('They were damaged and cannot be restored.');
    expect(text(html)).toMatch(/Discard$/);
  });

  it('an unreadable recovery file is said plainly, its system error code behind Details', () => {
    const html = banner({ ...info, edits: 0, damage: 'The recovery file cannot be read.', detail: 'the system refused to read it (EACCES)' });
    expect(text(html)).toContain('The recovery file cannot be read.');
    expect(text(html)).not.toContain('damaged');
    expect(html).toMatch(/<details data-testid="recovery-details"><summary>Details<\/summary>the system refused to read it \(EACCES\)/);
  });
});
