import { describe, expect, it } from 'vitest';
import { allocateVoxels } from '../../../main/io/allocateVoxels.js';

describe('allocateVoxels', () => {
  it('returns what it allocates', () => {
    expect(allocateVoxels(() => new Int16Array(3), 6, '/x.nii').length).toBe(3);
  });

  it("turns the engine's refusal into VOLUME_TOO_LARGE naming the size and the file", () => {
    expect(() => allocateVoxels(() => new ArrayBuffer(2 ** 53), 2 ** 53, '/x.nii')).toThrow(
      expect.objectContaining({ code: 'VOLUME_TOO_LARGE', message: expect.stringMatching(/^\/x\.nii: cannot allocate 9007199254740992 bytes/) }),
    );
  });

  it('lets any other error through', () => {
    expect(() =>
      allocateVoxels(
        () => {
          throw new TypeError('bug');
        },
        1,
        '/x.nii',
      ),
    ).toThrow(TypeError);
  });
});
