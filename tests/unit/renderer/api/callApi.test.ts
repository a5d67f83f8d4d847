import { describe, expect, it } from 'vitest';
import { ApiCallError, describeError, unwrap } from '../../../../renderer/api/callApi.js';

describe('callApi', () => {
  it('turns an error answer into ApiCallError and a one-line sentence', async () => {
    const failed = unwrap(
      Promise.resolve({ ok: false as const, error: { code: 'NIFTI_TRUNCATED', message: 'the file ends early\n    at readNifti (x.ts:1)' } }),
    );
    await expect(failed).rejects.toBeInstanceOf(ApiCallError);
    const error = await failed.catch((e: unknown) => e);
    expect(describeError('Could not open the scan', error)).toBe('Could not open the scan: the file ends early');
    expect(await unwrap(Promise.resolve({ ok: true as const, value: 7 }))).toBe(7);
  });
});
