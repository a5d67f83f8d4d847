import { describe, expect, it } from 'vitest';
import { inferenceDeviceFor } from '../../../../renderer/api/gpuDevice.js';

describe('inferenceDeviceFor', () => {
  it('maps "GPU" to the platform’s execution provider', () => {
    expect(inferenceDeviceFor('gpu', 'Win32')).toBe('dml');
    expect(inferenceDeviceFor('gpu', 'MacIntel')).toBe('coreml');
    expect(inferenceDeviceFor('gpu', 'Linux x86_64')).toBe('cuda');
    expect(inferenceDeviceFor('cpu', 'Win32')).toBe('cpu');
  });
});
