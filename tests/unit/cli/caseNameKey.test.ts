import { describe, expect, it } from 'vitest';
import { caseNameKey } from '../../../main/cli/caseNameKey.js';

describe('caseNameKey', () => {
  it('is one key for names macOS takes for one file: letter case and Unicode normalisation (NFC, NFD)', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    expect(nfc).not.toBe(nfd);
    expect(caseNameKey(nfd)).toBe(caseNameKey(nfc));
    expect(caseNameKey('CAFE\u0301')).toBe(caseNameKey(nfc));
    expect(caseNameKey('cafe')).not.toBe(caseNameKey(nfc));
  });
});
