/**
 * What went wrong, in words for a clinician, by the error's stable code: the reason that follows "Could not
 * run the model: ". Main's own message (a file's path, onnxruntime's words, what a developer would change) goes
 * behind Details. Codes not here keep main's message, already written for people.
 */
export const plainReasons: Readonly<Partial<Record<string, string>>> = {
  MODEL_NOT_FOUND: "the model's files are missing from the chosen folder",
  MODEL_INVALID: "the model's files are damaged or are not a model Axial can run",
  MODEL_UNSUPPORTED: 'this model is of a kind Axial cannot run',
  MODEL_SHAPE_MISMATCH: "the model's settings do not match the network it holds, so Axial cannot run it",
  INFERENCE_PROVIDER_UNAVAILABLE: 'the processor chosen in "Run on" is not available on this computer; choose Auto or CPU',
  INFERENCE_OUT_OF_MEMORY: 'the computer ran out of memory; close other programs, or run on the CPU',
  INFERENCE_CRASHED: 'the model stopped unexpectedly',
  INFERENCE_FAILED: 'the model stopped with an error',
  INFERENCE_NOT_FINITE: 'the model gave no usable result for this scan',
  INTERNAL: 'something went wrong inside Axial',
};
