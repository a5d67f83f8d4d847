import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AppSettings } from '../../../../core/contract.js';
import { SettingsDialog } from '../../../../renderer/components/SettingsDialog.js';

const dialog = (settings: AppSettings | null, cores = 4): string =>
  renderToStaticMarkup(createElement(SettingsDialog, { dialog: { settings, saving: false }, onSave: () => undefined, onClose: () => undefined, cores }));
/** The values of the checked radios. */
const checked = (html: string): string[] => [...html.matchAll(/<input type="radio"[^>]*\bchecked=""[^>]*value="([^"]+)"/g)].map((m) => m[1]!);
const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('SettingsDialog', () => {
  it('offers Automatic or 1 to the cores’ count of threads, and the two kinds of Philips values with the default named', () => {
    const html = dialog({ decodeThreads: null, philipsScaling: 'precise', measurementsBesideStudy: false });
    expect(html).toContain('role="dialog"');
    expect([...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['auto', '1', '2', '3', '4']);
    expect(html).toMatch(/<option value="auto" selected="">Automatic \(one per core: 4\)<\/option>/);
    expect(text(html)).toContain('More threads load compressed series (JPEG 2000, JPEG-LS, JPEG) faster.');
    expect(text(html)).toContain('Precise (floating point, as dcm2niix)');
    expect(text(html)).toContain('Display (scanner’s displayed values)');
    expect(text(html)).toContain('Precise is the default');
    expect(checked(html)).toEqual(['precise']);
    expect(html).toMatch(/<input type="checkbox" data-testid="settings-measurements-beside"[^>]*>Save measurements beside the study/);
    expect(html).not.toMatch(/settings-measurements-beside"[^>]*checked/);
  });

  it('shows the saved choices, a count above the cores’ included', () => {
    const html = dialog({ decodeThreads: 6, philipsScaling: 'display', measurementsBesideStudy: true }, 2);
    expect(html).toMatch(/<option value="6" selected="">6<\/option>/);
    expect(checked(html)).toEqual(['display']);
    expect(html).toMatch(/settings-measurements-beside"[^>]*checked=""/);
  });

  it('says it is reading the settings until main answers, with only Cancel', () => {
    const html = dialog(null);
    expect(text(html)).toBe('Settings Reading the settings… Cancel');
  });
});
