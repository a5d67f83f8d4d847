import { AxialError, type AxialErrorCode } from '../../errors/AxialError.js';

/** An error as data, as it crosses to another process or thread: its code and file travel only this way. */
export interface PlainError {
  readonly code: AxialErrorCode;
  /** Without the file, which `file` holds. */
  readonly message: string;
  readonly file: string | undefined;
}

/**
 * What the inference process and its network's worker thread report for an error: an AxialError as it is; V8 refusing
 * an array (the model's roi_size, sw_batch_size or pixdim asking for more than one process can hold, or memory running
 * out) as INFERENCE_OUT_OF_MEMORY; anything else as INFERENCE_FAILED, saying `where` it happened.
 */
export function plainInferenceError(error: unknown, where: string, file?: string): PlainError {
  if (error instanceof AxialError) {
    const prefix = error.file ? `${error.file}: ` : '';
    return { code: error.code, message: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message, file: error.file };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError && /invalid typed array length/i.test(message)) {
    const what = `the pipeline asks for an array of ${message.replace(/^.*:\s*/, '')} values, more than one process can hold`;
    return { code: 'INFERENCE_OUT_OF_MEMORY', message: `${what}; check the model's roi_size, sw_batch_size and pixdim`, file };
  }
  if (error instanceof RangeError && /allocation failed|invalid array length/i.test(message)) {
    return { code: 'INFERENCE_OUT_OF_MEMORY', message: `out of memory in the ${where}: ${message}`, file };
  }
  return { code: 'INFERENCE_FAILED', message: `${where}: ${message}`, file };
}
