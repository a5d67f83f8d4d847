import { describe, expect, it } from 'vitest';
import { createAppContent } from '../../../main/app/appContent.js';

describe('createAppContent on POSIX', () => {
  const content = createAppContent('/opt/Axial/resources/app.asar/dist/renderer', 'linux');
  const root = 'file:///opt/Axial/resources/app.asar/dist/renderer';

  it('accepts the renderer’s own pages and assets, encoded or not', () => {
    expect(content.isAppPage(`${root}/index.html`)).toBe(true);
    expect(content.isAppPage(`${root}/assets/index-abc.js`)).toBe(true);
    expect(content.isAppPage(`${root}/assets/a%20b.js`)).toBe(true);
  });

  it('refuses paths that leave the folder, by dots, encoded dots or encoded slashes', () => {
    expect(content.isAppPage(`${root}/../secret.html`)).toBe(false);
    expect(content.isAppPage(`${root}/%2e%2e/secret.html`)).toBe(false);
    expect(content.isAppPage(`${root}/..%2F..%2F..%2Fetc/passwd`)).toBe(false);
    expect(content.isAppPage(`${root}/assets%2F..%2F..%2Fx.html`)).toBe(false);
    expect(content.isAppPage(`${root}/a%5C..%5Cx.html`)).toBe(false);
    expect(content.isAppPage(`${root}/index.html%00.png`)).toBe(false);
    expect(content.isAppPage(`${root}-evil/index.html`)).toBe(false);
    expect(content.isAppPage(`${root}/%E0%A4%A`)).toBe(false);
  });

  it('refuses other hosts and schemes as pages, but lets the data scheme and DevTools through as requests', () => {
    expect(content.isAppPage('file://server/opt/Axial/resources/app.asar/dist/renderer/index.html')).toBe(false);
    expect(content.isAppPage('https://example.org/index.html')).toBe(false);
    expect(content.isAllowedRequest('axial-data://volume/1')).toBe(true);
    expect(content.isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(content.isAllowedRequest('https://example.org/')).toBe(false);
    expect(content.isAllowedRequest('not a url')).toBe(false);
  });
});

describe('createAppContent on Windows', () => {
  const content = createAppContent('C:\\Program Files\\Axial\\resources\\app.asar\\dist\\renderer', 'win32');

  it('compares drive paths without regard to case and refuses escapes', () => {
    expect(content.isAppPage('file:///C:/Program%20Files/Axial/resources/app.asar/dist/renderer/index.html')).toBe(true);
    expect(content.isAppPage('file:///c:/program%20files/axial/resources/app.asar/dist/renderer/index.html')).toBe(true);
    expect(content.isAppPage('file:///C:/Program%20Files/Axial/resources/app.asar/dist/renderer/..%5C..%5Cx.html')).toBe(false);
    expect(content.isAppPage('file:///D:/Program%20Files/Axial/resources/app.asar/dist/renderer/index.html')).toBe(false);
  });
});
