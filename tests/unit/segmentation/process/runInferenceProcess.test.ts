import { fork } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../../../main/nifti/writeNifti.js';
import { createOnnxRunner } from '../../../../main/segmentation/onnx/createOnnxRunner.js';
import { attributeType, encodeOnnxModel, tensorType, type OnnxNode, type OnnxTensor } from '../../../../main/segmentation/onnx/onnxModelCodec.js';
import type { InferenceProgress } from '../../../../main/segmentation/process/runInferenceProcess.js';
import { classifyExit } from '../../../../main/segmentation/process/classifyExit.js';
import type { ChildExit, InferenceChild } from '../../../../main/segmentation/process/InferenceChild.js';
import type { ChildMessage } from '../../../../main/segmentation/process/inferenceMessages.js';
import { defaultEntryPath, nodeInferenceChild, runInferenceProcess, startInferenceProcess } from '../../../../main/segmentation/process/runInferenceProcess.js';
import { ModelFailedError } from '../../../../main/segmentation/process/ModelFailedError.js';
import { superviseInference } from '../../../../main/segmentation/process/superviseInference.js';
import { segmentVolume } from '../../../../main/segmentation/segmentVolume.js';
import { createVolume } from '../../../../main/volume/Volume.js';
import { crashingChild, fixed32Onnx, identityBundle, identitySpec, labelPhantom, slowBundle, volumeValueInfo } from './inferenceFixtures.js';
import { axialRejection } from '../../../expectAxialError.js';

const scratch = mkdtempSync(join(tmpdir(), 'axial-inference-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** slowBundle's configs with a chain of 3000 1×1×1 Convs as its model: onnxruntime takes about 4 s to open its session. */
function slowOpeningBundle(): string {
  const dir = join(scratch, 'slowOpening');
  cpSync(join(slowBundle, 'configs'), join(dir, 'configs'), { recursive: true });
  const channels = 32;
  const nodes: OnnxNode[] = [];
  const initializer: OnnxTensor[] = [];
  let previous = 'input_0';
  for (let i = 0; i <= 3000; i++) {
    const [cin, cout] = [i === 0 ? 1 : channels, i === 3000 ? 4 : channels];
    const weights = Float32Array.from({ length: cin * cout }, (_, n) => ((n * 7) % 13) / 1000);
    initializer.push({ name: `w${i}`, dims: [cout, cin, 1, 1, 1], data_type: tensorType.float, raw_data: new Uint8Array(weights.buffer) });
    const output = i === 3000 ? 'output_0' : `t${i}`;
    nodes.push({
      op_type: 'Conv',
      input: [previous, `w${i}`],
      output: [output],
      attribute: [{ name: 'kernel_shape', type: attributeType.ints, ints: [1, 1, 1] }],
    });
    previous = output;
  }
  mkdirSync(join(dir, 'models'), { recursive: true });
  const graph = { node: nodes, initializer, input: [volumeValueInfo('input_0', 1)], output: [volumeValueInfo('output_0', 4)] };
  writeFileSync(join(dir, 'models', 'model.onnx'), encodeOnnxModel({ ir_version: 8, opset_import: [{ domain: '', version: 17 }], graph }));
  return dir;
}

/** The inference process forked bare (no supervisor), its stderr kept, and its exit with the time it came. */
function forkEntry(options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}) {
  const child = fork(defaultEntryPath(), [], { serialization: 'advanced', ...options, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { child, stderr: () => stderr, exited };
}

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('runInferenceProcess', () => {
  it('gives the same labels as segmentVolume in this process, with progress, for a file input', async () => {
    const phantom = labelPhantom();
    const input = join(scratch, 'phantom.nii.gz');
    await writeNifti(phantom, input);
    const progress: InferenceProgress[] = [];
    const result = await runInferenceProcess(
      { type: 'segment', inputPath: input, modelPath: identityBundle, device: 'cpu' },
      { onProgress: (p) => progress.push(p) },
    );
    const runner = await createOnnxRunner(identitySpec().modelPath, 'cpu', identitySpec());
    const local = await segmentVolume({ volume: phantom, spec: identitySpec(), runBatch: runner.runBatch });
    await runner.release();

    expect(result.provider).toBe('cpu');
    expect(result.skippedProviders).toEqual([]);
    expect(result.inputFiles).toEqual([input]);
    expect(result.labels.voxels).toBeInstanceOf(Uint8Array);
    expect(result.labels.voxels).toEqual(local.labels.voxels);
    expect(Array.from(result.labels.voxels)).toEqual(Array.from(phantom.voxels));
    expect(result.labels.dimensions).toEqual(phantom.dimensions);
    expect(result.labels.direction).toEqual(phantom.direction);
    expect(result.segments.map((s) => s.name)).toEqual(['liver', 'spleen', 'kidney']);
    expect(result.seconds.loadModel).toBeGreaterThan(0);

    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBe(8); // 2×2×2 windows for 20×24×28 at ROI 16, overlap 0.25
    // No estimate from the first batch alone: it pays the session's first-run cost. Every later report has one.
    expect(progress[0]!.etaSeconds).toBeNull();
    for (const p of progress.slice(1)) expect(p.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('refuses a 4D file for a one-channel model, or as one --input, rather than segment its first volume silently', async () => {
    const phantom = labelPhantom([6, 7, 8]);
    const fourD = join(scratch, 'three-volumes.nii.gz');
    const later = [1, 2].map((t) => phantom.voxels.map((v) => (v + t) % 4));
    await writeNifti(phantom, fourD, { laterTimePoints: later });
    const single = await axialRejection(runInferenceProcess({ type: 'segment', inputPath: fourD, modelPath: identityBundle, device: 'cpu' }));
    expect(single.code).toBe('CLI_USAGE');
    expect(single.message).toMatch(/^\S+three-volumes\.nii\.gz: identityBundle takes one input image, and this file holds 3 volumes .*\(t from 0 to 2\)/);
    const threeD = join(scratch, 'one-volume.nii.gz');
    await writeNifti(phantom, threeD);
    const channel = await axialRejection(
      runInferenceProcess({ type: 'segment', inputPath: threeD, moreChannels: [{ name: 'T2', inputPath: fourD }], modelPath: identityBundle, device: 'cpu' }),
    );
    expect(channel.code).toBe('CLI_USAGE');
    expect(channel.message).toMatch(/^\S+three-volumes\.nii\.gz: each --input is one channel, one image, and this file holds 3 volumes/);
  });

  it('segments a volume sent from memory, and keeps its session for the next request', async () => {
    const phantom = labelPhantom([17, 19, 23]);
    const worker = startInferenceProcess();
    try {
      const request = { type: 'segment', volume: phantom, modelPath: identityBundle, device: 'auto' } as const;
      const first = await worker.segment(request);
      const second = await worker.segment(request);
      expect(Array.from(first.labels.voxels)).toEqual(Array.from(phantom.voxels));
      expect(createVolume(first.labels).origin).toEqual(phantom.origin);
      expect(first.inputFiles).toEqual([]);
      expect(second.seconds.loadModel).toBe(0);
      const missing = await axialRejection(worker.segment({ type: 'segment', inputPath: join(scratch, 'none.nii'), modelPath: identityBundle, device: 'cpu' }));
      expect(missing.code).toBe('INPUT_NOT_FOUND');
      expect(worker.alive).toBe(true);
    } finally {
      await worker.close();
    }
    expect(worker.alive).toBe(false);
  });

  it('reports MODEL_SHAPE_MISMATCH before the first patch', async () => {
    const bundle = join(scratch, 'fixedBundle');
    cpSync(identityBundle, bundle, { recursive: true });
    cpSync(fixed32Onnx, join(bundle, 'models', 'model.onnx'));
    const progress: InferenceProgress[] = [];
    const error = await axialRejection(
      runInferenceProcess({ type: 'segment', volume: labelPhantom(), modelPath: bundle, device: 'cpu' }, { onProgress: (p) => progress.push(p) }),
    );
    expect(error.code).toBe('MODEL_SHAPE_MISMATCH');
    expect(error.message).toMatch(/x is 32, expected 16/);
    expect(progress).toEqual([]);
  });

  it('opens the model while the scan is read: both broken, the model is named; the scan alone, the scan is', async () => {
    const bundle = join(scratch, 'brokenModelBundle');
    cpSync(identityBundle, bundle, { recursive: true });
    writeFileSync(join(bundle, 'models', 'model.onnx'), 'not an ONNX model');
    const brokenScan = join(scratch, 'broken.nii.gz');
    writeFileSync(brokenScan, gzipSync(Buffer.from('not a NIfTI header, and far too short for one')));
    const both = await axialRejection(runInferenceProcess({ type: 'segment', inputPath: brokenScan, modelPath: bundle, device: 'cpu' }));
    const modelOnly = await axialRejection(runInferenceProcess({ type: 'segment', volume: labelPhantom(), modelPath: bundle, device: 'cpu' }));
    expect(both.code).toBe('MODEL_INVALID');
    expect([both.code, both.message]).toEqual([modelOnly.code, modelOnly.message]);
    expect(both.message).toContain(join('brokenModelBundle', 'models', 'model.onnx'));
    const scanOnly = await axialRejection(runInferenceProcess({ type: 'segment', inputPath: brokenScan, modelPath: identityBundle, device: 'cpu' }));
    expect(scanOnly.code).toBe('NIFTI_TRUNCATED');
    expect(scanOnly.message).toContain(brokenScan);
    // Told apart by where it failed, not by its code: a batch stops on the model's failures alone.
    expect([both, modelOnly, scanOnly].map((e) => e instanceof ModelFailedError)).toEqual([true, true, false]);
  });

  it('cancels mid-run within a second, and the process is gone', async () => {
    const worker = startInferenceProcess();
    const controller = new AbortController();
    let abortedAt = 0;
    let firstProgress: InferenceProgress | undefined;
    const running = worker.segment(
      { type: 'segment', volume: labelPhantom([96, 96, 96]), modelPath: slowBundle, device: 'cpu' },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (firstProgress) return;
          firstProgress = p;
          abortedAt = performance.now();
          controller.abort();
        },
      },
    );
    const error = await axialRejection(running);
    const took = performance.now() - abortedAt;
    expect(error.code).toBe('INFERENCE_CANCELLED');
    expect(firstProgress!.done).toBeLessThan(firstProgress!.total);
    expect(took).toBeLessThan(1000);
    expect(isGone(worker.pid!)).toBe(true);
    expect(worker.alive).toBe(false);
  });

  it.each([
    ['a run is on its worker thread', 'run'],
    ['its model’s session is opening', 'open'],
  ])('leaves when its parent goes while %s, once onnxruntime has returned: exit code 0, not an abort', async (_, when) => {
    const modelPath = when === 'run' ? slowBundle : slowOpeningBundle();
    const { child, stderr, exited } = forkEntry();
    let progress: { done: number; total: number } | undefined;
    let leftAt = 0;
    const leave = () => {
      leftAt = performance.now();
      child.disconnect();
    };
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        child.send({ type: 'segment', volume: labelPhantom([96, 96, 96]), modelPath, device: 'cpu' });
        // the session opens from about 0.3 s (0.5 s with both cores busy) to 4.5 s after the request
        if (when === 'open') setTimeout(leave, 1500);
      }
      // 125 windows of one patch each: the parent goes at the first one's progress, the next runs queued or running
      if (message.type === 'progress' && !progress) {
        progress = message;
        if (when === 'run') leave();
      }
    });
    const exit = await exited;
    if (when === 'run') expect(progress!.done).toBeLessThan(progress!.total);
    else expect(progress).toBeUndefined();
    expect(stderr()).not.toContain('terminate called');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - leftAt).toBeLessThan(15_000);
  });

  it('after a failure outside any request, says so once, answers nothing more, and exits with code 70 once its run is over', async () => {
    const { child, stderr, exited } = forkEntry(crashingChild('throw'));
    const after: string[] = [];
    let failure: ChildMessage | undefined;
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') child.send({ type: 'segment', volume: labelPhantom([96, 96, 96]), modelPath: slowBundle, device: 'cpu' });
      else if (failure) after.push(message.type);
      else if (message.type === 'error') {
        failure = message;
        // the next request, as a batch would send it: neither it nor the failed one is answered
        child.send({ type: 'describe', modelPath: slowBundle });
      }
    });
    expect(await exited).toMatchObject({ code: 70, signal: null });
    expect(failure).toMatchObject({ code: 'INFERENCE_CRASHED', message: 'inference process failed: a failure outside any request' });
    expect(after).toEqual([]);
    expect(stderr()).not.toContain('terminate called');
  });

  it('turns an abort in the process into INFERENCE_CRASHED', async () => {
    const started = performance.now();
    const error = await axialRejection(
      runInferenceProcess({ type: 'segment', volume: labelPhantom(), modelPath: identityBundle, device: 'cpu' }, crashingChild('abort')),
    );
    expect(error.code).toBe('INFERENCE_CRASHED');
    expect(error.message).toMatch(/SIGABRT/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('turns an exit without a result into INFERENCE_CRASHED with its code', async () => {
    const error = await axialRejection(
      runInferenceProcess({ type: 'segment', volume: labelPhantom(), modelPath: identityBundle, device: 'cpu' }, crashingChild('exit')),
    );
    expect(error.code).toBe('INFERENCE_CRASHED');
    expect(error.message).toMatch(/exited with code 3/);
  });

  it('turns a V8 heap exhaustion into INFERENCE_OUT_OF_MEMORY', async () => {
    const error = await axialRejection(
      runInferenceProcess(
        { type: 'segment', volume: labelPhantom(), modelPath: identityBundle, device: 'cpu' },
        crashingChild('oom', ['--max-old-space-size=64']),
      ),
    );
    expect(error.code).toBe('INFERENCE_OUT_OF_MEMORY');
    expect(error.message).toMatch(/heap/i);
  });

  it('has no crash hook of its own: AXIAL_TEST_CRASH without the test aid changes nothing', async () => {
    const result = await runInferenceProcess(
      { type: 'segment', volume: labelPhantom([16, 16, 16]), modelPath: identityBundle, device: 'cpu' },
      { env: { ...process.env, NODE_ENV: 'test', AXIAL_TEST_CRASH: 'abort' } },
    );
    expect(result.provider).toBe('cpu');
  });
});

describe('classifyExit', () => {
  it('reads a SIGKILL it did not send as a crash from outside, naming the signal, unless the kernel counted an OOM kill', () => {
    const outside = classifyExit({ code: null, signal: 'SIGKILL', stderr: '', killedByUs: false });
    expect(outside.code).toBe('INFERENCE_CRASHED');
    expect(outside.message).toMatch(/killed by SIGKILL from outside Axial/);
    expect(classifyExit({ code: null, signal: 'SIGKILL', stderr: '', killedByUs: false, oomKilled: true }).code).toBe('INFERENCE_OUT_OF_MEMORY');
    expect(classifyExit({ code: null, signal: 'SIGKILL', stderr: '', killedByUs: true }).code).toBe('INFERENCE_CRASHED');
    const said = classifyExit({ code: null, signal: 'SIGKILL', stderr: 'FATAL ERROR: Reached heap limit Allocation failed', killedByUs: false });
    expect(said.code).toBe('INFERENCE_OUT_OF_MEMORY');
  });

  it("weighs the host's detail (Electron's reason, a V8 fatal error) with stderr", () => {
    expect(classifyExit({ code: 9, signal: null, stderr: '', killedByUs: false, detail: 'Electron reports the process gone (oom: out of memory)' }).code).toBe(
      'INFERENCE_OUT_OF_MEMORY',
    );
    const crashed = classifyExit({ code: 11, signal: null, stderr: '', killedByUs: false, detail: 'Electron reports the process gone (crashed)' });
    expect(crashed.code).toBe('INFERENCE_CRASHED');
    expect(crashed.message).toMatch(/exited with code 11[\s\S]*Electron reports the process gone \(crashed\)/);
  });

  it('reads onnxruntime allocation failures on stderr as out of memory', () => {
    const stderr = 'terminate called after throwing an instance of std::bad_alloc\n  what():  std::bad_alloc\n';
    expect(classifyExit({ code: null, signal: 'SIGABRT', stderr, killedByUs: false }).code).toBe('INFERENCE_OUT_OF_MEMORY');
    expect(classifyExit({ code: 134, signal: null, stderr: null, killedByUs: false }).code).toBe('INFERENCE_OUT_OF_MEMORY');
    expect(classifyExit({ code: 134, signal: null, stderr: 'Segmentation fault', killedByUs: false }).code).toBe('INFERENCE_CRASHED');
  });
});

/** A Node child seen the way Electron's UtilityProcess shows one: an exit code only, kill() and postMessage-style sends. */
function codeOnlyChild(options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): InferenceChild {
  const { env = process.env, execArgv = [] } = options;
  const node = nodeInferenceChild(fork(defaultEntryPath(), [], { serialization: 'advanced', env, execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
  return {
    ...node,
    get pid() {
      return node.pid;
    },
    onExit: (listener) => node.onExit((exit: ChildExit) => listener({ code: exit.code ?? 128, signal: null })),
  };
}

/** An InferenceChild that does what the test says, with no process behind it. */
function scriptedChild(script: { send?: (message: unknown, onError: (error: Error) => void) => void }) {
  const messageListeners: ((message: ChildMessage) => void)[] = [];
  const exitListeners: ((exit: ChildExit) => void)[] = [];
  let kills = 0;
  const child: InferenceChild = {
    pid: 4242,
    stderr: null,
    send: (message, onError) => script.send?.(message, onError),
    kill: () => void kills++,
    onMessage: (listener) => void messageListeners.push(listener),
    onExit: (listener) => void exitListeners.push(listener),
    onError: () => undefined,
  };
  return {
    child,
    say: (message: ChildMessage) => messageListeners.forEach((l) => l(message)),
    exit: (exit: ChildExit) => exitListeners.forEach((l) => l(exit)),
    kills: () => kills,
  };
}

describe('superviseInference', () => {
  it('drives a real inference process through the generic child interface, exit code only (as a utilityProcess reports)', async () => {
    const phantom = labelPhantom([16, 16, 16]);
    const worker = superviseInference(codeOnlyChild());
    try {
      const result = await worker.segment({ type: 'segment', volume: phantom, modelPath: identityBundle, device: 'cpu' });
      expect(Array.from(result.labels.voxels)).toEqual(Array.from(phantom.voxels));
    } finally {
      await worker.close();
    }
    expect(worker.alive).toBe(false);

    const exiting = superviseInference(codeOnlyChild(crashingChild('exit')));
    const error = await axialRejection(exiting.segment({ type: 'segment', volume: phantom, modelPath: identityBundle, device: 'cpu' }));
    expect(error.code).toBe('INFERENCE_CRASHED');
    expect(error.message).toMatch(/exited with code 3/);
  });

  it('sends the request once the child is ready, and relays its progress and result', async () => {
    const sent: unknown[] = [];
    const scripted = scriptedChild({ send: (message) => sent.push(message) });
    const worker = superviseInference(scripted.child);
    const progress: number[] = [];
    const running = worker.segment(
      { type: 'segment', volume: labelPhantom([4, 4, 4]), modelPath: 'm', device: 'cpu' },
      { onProgress: (p) => progress.push(p.done) },
    );
    expect(sent).toEqual([]);
    scripted.say({ type: 'ready' });
    expect(sent).toHaveLength(1);
    scripted.say({ type: 'progress', done: 1, total: 2, elapsedSeconds: 0, etaSeconds: 0 });
    scripted.say({ type: 'error', code: 'INFERENCE_NOT_FINITE', message: 'patch 1 of 2' });
    const error = await axialRejection(running);
    expect(error.code).toBe('INFERENCE_NOT_FINITE');
    expect(progress).toEqual([1]);
    expect(worker.alive).toBe(true);
  });

  it('turns a send that cannot be delivered into INFERENCE_CRASHED, and an exit into the verdict for later calls', async () => {
    const scripted = scriptedChild({ send: (_message, onError) => onError(new Error('channel closed')) });
    const worker = superviseInference(scripted.child);
    scripted.say({ type: 'ready' });
    const error = await axialRejection(worker.segment({ type: 'segment', volume: labelPhantom([4, 4, 4]), modelPath: 'm', device: 'cpu' }));
    expect(error.code).toBe('INFERENCE_CRASHED');
    expect(error.message).toMatch(/cannot reach the inference process: channel closed/);
    scripted.exit({ code: null, signal: 'SIGKILL' });
    expect(worker.alive).toBe(false);
    const later = await axialRejection(worker.segment({ type: 'segment', volume: labelPhantom([4, 4, 4]), modelPath: 'm', device: 'cpu' }));
    expect(later.message).toMatch(/SIGKILL from outside Axial/);
    expect(scripted.kills()).toBe(0);
  });
});
