import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { monaiSlidingWindowDefaults, type ModelSpec } from '../../../../main/segmentation/ModelSpec.js';
import { createVolume, type Volume } from '../../../../main/volume/Volume.js';
import { tensorType, type OnnxValueInfo } from '../../../../main/segmentation/onnx/onnxModelCodec.js';
import { type Vec3 } from '../../../../core/geometry/types.js';

/** The tiny models of tests/fixtures/makeTinyModels.py. */
const models = (path: string): string => fileURLToPath(new URL(`../../../fixtures/models/${path}`, import.meta.url));

export const identityBundle = models('identityBundle');
export const slowBundle = models('slowBundle');
export const identityOnnx = models('identityArgmax.onnx');
export const fixed32Onnx = models('fixed32.onnx');

/** crashOnSegment.ts as built under dist/, where `npx tsc -b` puts it beside the entry module. */
const crashModule = fileURLToPath(new URL('../../../../dist/tests/unit/segmentation/process/crashOnSegment.js', import.meta.url));

/**
 * Options for an inference process that crashes on its first request, as `crash` says (see crashOnSegment.ts):
 * the test aid is loaded ahead of the entry module with `--import`, so the product itself has no crash hook.
 * @throws Error when the test aid has not been built.
 */
export function crashingChild(crash: 'abort' | 'exit' | 'oom' | 'throw', execArgv: readonly string[] = []): { env: NodeJS.ProcessEnv; execArgv: string[] } {
  if (!existsSync(crashModule)) throw new Error(`${crashModule} is missing (build with "npx tsc -b")`);
  return { env: { ...process.env, AXIAL_TEST_CRASH: crash }, execArgv: [...execArgv, '--import', pathToFileURL(crashModule).href] };
}

/**
 * A label image (values 0..3 in blocks of unequal sizes along each axis), on a
 * grid whose three sizes differ so that a transposition would show.
 */
export function labelPhantom(dimensions: Vec3 = [20, 24, 28], spacing: Vec3 = [1, 1.5, 2]): Volume {
  const [ni, nj, nk] = dimensions;
  const voxels = new Int16Array(ni * nj * nk);
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) voxels[i + ni * (j + nj * k)] = (Math.floor(i / 3) + Math.floor(j / 5) * 2 + Math.floor(k / 7)) % 4;
    }
  }
  return createVolume({
    dimensions,
    spacing,
    origin: [-10, 20, 35],
    direction: [
      [1, 0, 0],
      [0, 0, -1],
      [0, 1, 0],
    ],
    voxels,
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
}

/** The identity model's spec: no preprocessing, softmax then argmax, labels 0..3. */
export function identitySpec(overrides: { modelPath?: string; roi?: number; swBatchSize?: number; outputChannels?: number } = {}): ModelSpec {
  const roi = overrides.roi ?? 16;
  return {
    name: 'identity',
    source: 'sidecar',
    modelPath: overrides.modelPath ?? identityOnnx,
    input: { channels: 1 },
    output: {
      channels: overrides.outputChannels ?? 4,
      labels: ['background', 'liver', 'spleen', 'kidney'].map((name, value) => ({ value, name })),
    },
    preprocessing: [],
    inferer: { ...monaiSlidingWindowDefaults, roiSize: [roi, roi, roi], swBatchSize: overrides.swBatchSize ?? 2 },
    postprocessing: [
      { kind: 'Activationsd', softmax: true, sigmoid: false },
      { kind: 'AsDiscreted', argmax: true, threshold: null },
    ],
    unsupported: [],
    warnings: [],
    ignored: [],
  };
}

/** A float32 graph input or output [N, channels, X, Y, Z], its batch and spatial axes dynamic. */
export function volumeValueInfo(name: string, channels: number): OnnxValueInfo {
  const dim = [{ dim_param: 'N' }, { dim_value: channels }, { dim_param: 'X' }, { dim_param: 'Y' }, { dim_param: 'Z' }];
  return { name, type: { tensor_type: { elem_type: tensorType.float, shape: { dim } } } } as OnnxValueInfo;
}
