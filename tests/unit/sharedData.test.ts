import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSharedData } from '../sharedData.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-shared-data-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('checkSharedData', () => {
  it('finds a present folder, with or without CI', () => {
    expect(checkSharedData(scratch, {})).toBe(true);
    expect(checkSharedData(scratch, { CI: 'true' })).toBe(true);
  });

  it('lets specs skip when the folder is absent on a developer machine', () => {
    expect(checkSharedData(join(scratch, 'absent'), {})).toBe(false);
    expect(checkSharedData(join(scratch, 'absent'), { CI: 'false' })).toBe(false);
  });

  it('fails under CI=true when the folder is absent, naming it', () => {
    const absent = join(scratch, 'absent');
    expect(() => checkSharedData(absent, { CI: 'true' })).toThrow(`shared real test data is missing at ${absent}`);
  });
});
