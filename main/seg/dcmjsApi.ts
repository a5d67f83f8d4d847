import { createRequire } from 'node:module';

/** A DICOM JSON model data set (tag → { vr, Value }), as dcmjs reads and writes it. */
export type DicomJsonDataSet = Record<string, unknown>;

/** The parts of dcmjs that Axial uses, typed (dcmjs ships no type declarations). */
export interface DcmjsApi {
  readonly data: {
    readonly DicomDict: new (meta: DicomJsonDataSet) => { dict: DicomJsonDataSet; write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer };
    readonly DicomMetaDictionary: {
      /** Keyword-named ("naturalized") data set → DICOM JSON model, VRs from the dictionary (or `_vrMap`). */
      denaturalizeDataset(dataSet: Record<string, unknown>): DicomJsonDataSet;
    };
  };
  readonly constants: {
    /** SpecificCharacterSet defined terms (lower case, "-" for "_" and " ") → WHATWG encoding labels. */
    readonly encodingMapping: Readonly<Record<string, string>>;
  };
}

/**
 * dcmjs, loaded through its CommonJS build so that no ambient module
 * declaration is needed, and typed by the interface above.
 */
export const dcmjsApi = createRequire(import.meta.url)('dcmjs') as DcmjsApi;
