import { describe, expect, it } from 'vitest';
import { ApiCallError, describeError } from '../../../../renderer/api/callApi.js';
import { splitStatus } from '../../../../renderer/display/statusDetails.js';

describe('describeError', () => {
  it("tells a model error by its code in plain words, main's message (path, onnxruntime's words) after it for Details", () => {
    const raw = '/models/spleen/models/model.onnx: not a model onnxruntime can load: Protobuf parsing failed.';
    const { message, details } = splitStatus(describeError('The model run failed', new ApiCallError('MODEL_INVALID', raw)));
    expect(message).toBe("The model run failed: the model's files are damaged or are not a model Axial can run.");
    expect(details).toEqual([raw]);
    const shape = describeError(
      'Could not run the model',
      new ApiCallError('MODEL_SHAPE_MISMATCH', 'x.onnx: the model declares input [1,2,96,96,96]. Re-export the model with dynamic axes or this ROI.'),
    );
    expect(splitStatus(shape).message).not.toMatch(/Re-export|onnx|\//);
    expect(
      splitStatus(describeError('Could not run the model', new ApiCallError('INTERNAL', 'segmentation failed unexpectedly: x\n    at y (z.js:1)'))).details,
    ).toEqual(['segmentation failed unexpectedly: x']);
  });

  it('keeps the first line of an error without a plain reason, with nothing behind Details', () => {
    expect(describeError('Could not open the scan', new ApiCallError('NIFTI_TRUNCATED', 'the file ends early\n    at readNifti (x.ts:1)'))).toBe(
      'Could not open the scan: the file ends early',
    );
  });
});
