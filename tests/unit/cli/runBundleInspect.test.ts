import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../captureIo.js';
import { runBundleInspect } from '../../../main/cli/runBundleInspect.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../sharedData.js';

function zooBundle(name: string): string {
  const folder = mkdtempSync(join(tmpdir(), `axial-inspect-${name}-`));
  cpSync(sharedData(`monai-zoo/${name}/configs`), join(folder, 'configs'), { recursive: true });
  mkdirSync(join(folder, 'models'));
  writeFileSync(join(folder, 'models', 'model.onnx'), '');
  return folder;
}

describe.skipIf(!hasSharedData)(`runBundleInspect (${noSharedDataReason})`, () => {
  it('prints network I/O, labels and the pipeline of a runnable bundle, and returns 0', async () => {
    const io = captureIo();
    expect(await runBundleInspect(zooBundle('spleen_ct_segmentation'), false, io)).toBe(0);
    const text = io.outLines.join('\n');
    expect(text).toContain('Spleen CT segmentation (MONAI bundle)');
    expect(text).toContain('input:  1 channel, declared spatial shape 96×96×96');
    expect(text).toMatch(/^\s+1 {2}spleen$/m);
    expect(text).toContain('2. Spacingd: resample to 1.5×1.5×2 mm, bilinear');
    expect(text).toContain('3. ScaleIntensityRanged: [-57, 164] → [0, 1], clipped');
    expect(text).toContain('Inferer: sliding window 96×96×96, 4 per batch, overlap 0.5, blend constant, padding constant 0');
    expect(text).toContain('SaveImaged (postprocessing.transforms[3])');
    expect(text).toMatch(/Runnable: yes$/);
    expect(io.errLines).toEqual([]);
  });

  it("prints brats_mri_segmentation's input channels and its Lambdad merge, runnable", async () => {
    const io = captureIo();
    expect(await runBundleInspect(zooBundle('brats_mri_segmentation'), false, io)).toBe(0);
    const text = io.outLines.join('\n');
    expect(text).toContain('input:  4 channels (T1c, T1, T2, FLAIR)');
    expect(text).toContain(
      '4. Lambdad: channels merged into one label map by "lambda x: torch.where(x[[2]] > 0, 4, torch.where(x[[0]] > 0, 1, torch.where(x[[1]] > 0, 2, 0)))"',
    );
    // The overlapping layers (one per sigmoid channel) apart from the label map the Lambdad merges them into.
    expect(text).toContain(
      [
        'Layers (3, one per output channel, may overlap):',
        '    0  Tumor core',
        '    1  Whole tumor',
        '    2  Enhancing tumor',
        'Labels (3, merged by the Lambdad):',
        '    1  Tumor core, not Enhancing tumor',
        '    2  Whole tumor, not Enhancing tumor or Tumor core',
        '    4  Enhancing tumor',
      ].join('\n'),
    );
    expect(text).toMatch(/Runnable: yes$/);
  });

  it('names each unsupported item and returns 1', async () => {
    const io = captureIo();
    const folder = zooBundle('brats_mri_segmentation');
    // The same bundle with a Lambdad outside the torch.where subset.
    const config = join(folder, 'configs', 'inference.json');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/"\$lambda x: torch\.where[^"]*"/, '"$lambda x: torch.argmax(x, dim=0)"'));
    expect(await runBundleInspect(folder, false, io)).toBe(1);
    expect(io.outLines).toContain(
      '  postprocessing.transforms[3] Lambdad: "$lambda x: torch.argmax(x, dim=0)": torch.argmax is outside what Axial evaluates (torch.where only)',
    );
    expect(io.outLines.at(-1)).toBe('Runnable: no');
    expect(io.errLines.at(-1)).toMatch(/^axial: error MODEL_UNSUPPORTED: .*cannot run this model as written: Lambdad \("\$lambda x: torch.argmax/);
  });

  it('says a bundle without models/model.onnx is not runnable, as segment would fail: status 1, MODEL_NOT_FOUND', async () => {
    const folder = zooBundle('spleen_ct_segmentation');
    rmSync(join(folder, 'models'), { recursive: true });
    const io = captureIo();
    expect(await runBundleInspect(folder, false, io)).toBe(1);
    expect(io.outLines.at(-1)).toBe('Runnable: no — the bundle has no ONNX model (models/model.onnx)');
    expect(io.outLines).not.toContain('Unsupported (0):');
    expect(io.errLines).toEqual([
      `axial: error MODEL_NOT_FOUND: ${folder}: the bundle has no ONNX model (models/model.onnx); export one there with "python -m monai.bundle onnx_export"`,
    ]);
    const json = captureIo();
    expect(await runBundleInspect(folder, true, json)).toBe(1);
    expect(JSON.parse(json.outLines.join('\n'))).toMatchObject({ modelFound: false, runnable: false, unsupported: [] });
  });

  it('prints the spec as JSON with --json', async () => {
    const io = captureIo();
    expect(await runBundleInspect(zooBundle('wholeBody_ct_segmentation'), true, io)).toBe(0);
    const json = JSON.parse(io.outLines.join('\n')) as { modelFound: boolean; runnable: boolean; output: { labels: unknown[] }; inferer: { mode: string } };
    expect(json.runnable).toBe(true);
    expect(json.modelFound).toBe(true);
    expect(json.output.labels).toHaveLength(105);
    expect(json.inferer.mode).toBe('gaussian');
  });
});
