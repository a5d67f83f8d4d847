import { describe, expect, it } from 'vitest';
import type { LabelEdit, SegmentDef } from '../../../core/contract.js';
import { checkMaskEdit } from '../../../main/labels/checkMaskEdit.js';
import { thrownAxialError } from '../../expectAxialError.js';

const edit = (layer: number, ...runs: (readonly [number, number, number])[]): LabelEdit => ({
  layer,
  runs: new Uint8Array(Uint32Array.from(runs.flat()).buffer),
});
const segment = (layer: number, value: number): SegmentDef => ({
  layer,
  value,
  name: `${layer}:${value}`,
  colour: [1, 2, 3],
  algorithmType: 'MANUAL',
  locked: false,
});
const voxels = 100;

describe('checkMaskEdit', () => {
  it('counts a 16-bit layer twice: three uint16 layers and two uint8 ones are 8 bytes a voxel, widening one more is 9', () => {
    const layers = [new Uint16Array(voxels), new Uint16Array(voxels), new Uint16Array(voxels), new Uint8Array(voxels)];
    const named = [0, 1, 2, 3, 4].map((layer) => segment(layer, 1));
    expect(() => checkMaskEdit(layers, [edit(4, [0, 1, 1])], named, voxels)).not.toThrow();
    const full = [...layers, new Uint8Array(voxels)];
    expect(() => checkMaskEdit(full, [edit(4, [0, 1, 255])], named, voxels)).not.toThrow();
    const error = thrownAxialError(() => checkMaskEdit(full, [edit(4, [0, 1, 256])], named, voxels));
    expect(error).toMatchObject({ code: 'IPC_INVALID_ARGUMENTS', message: expect.stringContaining('9 bytes of labels per voxel') });
  });

  it('never refuses an edit that adds or widens no layer, however many layers a file brought', () => {
    const opened = Array.from({ length: 12 }, () => new Uint8Array(voxels));
    expect(() => checkMaskEdit(opened, [edit(11, [5, 10, 1])], [segment(11, 1)], voxels)).not.toThrow();
    expect(thrownAxialError(() => checkMaskEdit(opened, [edit(12, [5, 10, 1])], [segment(12, 1)], voxels)).message).toContain('13 bytes');
  });

  it('checks the runs first, as applyLabelEdits does', () => {
    expect(thrownAxialError(() => checkMaskEdit([new Uint8Array(voxels)], [edit(0, [99, 2, 1])], [], voxels)).message).toBe(
      'mask:edit: a run (99+2) leaves the volume (100 voxels)',
    );
  });
});
