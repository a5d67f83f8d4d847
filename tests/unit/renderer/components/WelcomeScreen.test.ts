import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { WelcomeScreen } from '../../../../renderer/components/WelcomeScreen.js';

describe('WelcomeScreen', () => {
  it('offers Open file and Open folder, says what opens, and leaves the recent studies slot empty until it is given', () => {
    const html = renderToStaticMarkup(createElement(WelcomeScreen, { onOpen: () => undefined }));
    expect(html).toContain('data-testid="welcome-open-file"');
    expect(html).toContain('data-testid="welcome-open-folder"');
    expect(html).toMatch(/data-testid="welcome-formats">DICOM .*NIfTI \(\.nii, \.nii\.gz\) and NRRD \(\.nrrd, \.nhdr\)\.</);
    expect(html).toMatch(/<section class="welcome-recent" data-testid="recent-studies-slot" aria-label="Recent studies"><\/section>/);
  });

  it('shows what is put in the recent studies slot', () => {
    const list = createElement('ul', { 'data-testid': 'recent-list' });
    const html = renderToStaticMarkup(createElement(WelcomeScreen, { onOpen: () => undefined, recentStudies: list }));
    expect(html).toContain('aria-label="Recent studies"><ul data-testid="recent-list"></ul></section>');
  });
});
