/**
 * The URL of a worker module of this folder, `name` as built (e.g. 'onnxRunnerWorker.js'): beside this module in dist/,
 * or in dist/ when this module runs from its TypeScript source (the specs), as a worker thread loads only JavaScript.
 */
export function onnxWorkerUrl(name: string): URL {
  return import.meta.url.endsWith('.ts') ? new URL(`../../../dist/main/segmentation/onnx/${name}`, import.meta.url) : new URL(`./${name}`, import.meta.url);
}
