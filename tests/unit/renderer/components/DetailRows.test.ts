import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DetailRows } from '../../../../renderer/components/DetailRows.js';

describe('DetailRows', () => {
  it('lists the rows, and puts the UID rows behind a closed Details', () => {
    const html = renderToStaticMarkup(
      DetailRows({
        rows: [
          ['Series', '2 · HELICAL CHEST'],
          ['Study UID', '1.2.840.113619.2.30.1.1762295590.1623.978668949.886'],
          ['Series UID', '1.2.840.113619.2.30.1.1762295590.1623.978668949.890'],
        ],
      }),
    );
    const [before, after] = html.split('<details');
    expect(before).toContain('<dt>Series</dt><dd>2 · HELICAL CHEST</dd>');
    expect(before).not.toContain('1.2.840');
    expect(after).toMatch(/^ class="detail-uids" data-testid="detail-uids"><summary>Details<\/summary><dl><div><dt>Study UID<\/dt>/);
    expect(renderToStaticMarkup(DetailRows({ rows: [['Files', '20']] }))).not.toContain('<details');
  });
});
