import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelSpec } from '../../../main/segmentation/loadModelSpec.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';
import { repoRoot } from '../../repoRoot.js';

const fixture = join(repoRoot, 'tests', 'fixtures', 'meshnet-brain.axial.json');

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'axial-load-'));
  for (const [name, source] of Object.entries(files)) copyFileSync(source, join(folder, name));
  return folder;
}

describe('loadModelSpec', () => {
  it('finds <name>.axial.json, then <name>.onnx.axial.json, beside an ONNX model', async () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'axial-empty-')), 'x');
    writeFileSync(empty, '');
    const a = folderWith({ 'brain.onnx': empty, 'brain.axial.json': fixture });
    expect((await loadModelSpec(join(a, 'brain.onnx'))).source).toBe('sidecar');
    const b = folderWith({ 'brain.onnx': empty, 'brain.onnx.axial.json': fixture });
    expect((await loadModelSpec(join(b, 'brain.onnx'))).name).toMatch(/MeshNet/);
  });

  it('says which sidecar a bare ONNX model needs', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-bare-'));
    writeFileSync(join(folder, 'seg.onnx'), '');
    await expect(loadModelSpec(join(folder, 'seg.onnx'))).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringMatching(/needs a description of its pipeline beside it: seg\.axial\.json \(or seg\.onnx\.axial\.json\)/),
    });
  });

  it('refuses nothing at the path and files that are not models', async () => {
    await expect(loadModelSpec(join(tmpdir(), 'no-such-model-here'))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await expect(loadModelSpec(fixture)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(/not a model/) });
  });
});

describe.skipIf(!hasSharedData)(`loadModelSpec on a bundle folder (${noSharedDataReason})`, () => {
  it('reads a folder as a MONAI bundle', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'axial-load-bundle-'));
    cpSync(sharedData('monai-zoo/spleen_ct_segmentation/configs'), join(folder, 'configs'), { recursive: true });
    mkdirSync(join(folder, 'models'));
    writeFileSync(join(folder, 'models', 'model.onnx'), '');
    const spec = await loadModelSpec(folder);
    expect(spec.source).toBe('bundle');
    expect(spec.inferer.roiSize).toEqual([96, 96, 96]);
  });
});
