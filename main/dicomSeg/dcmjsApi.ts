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
    readonly Colors: {
      /** sRGB (0–1 per channel) → DICOM-scaled CIELab (0–65535, not rounded), D65 adapted to D50. */
      rgb2DICOMLAB(rgb: readonly number[]): [number, number, number];
      /** DICOM-scaled CIELab → sRGB (0–1 per channel, not clipped). */
      dicomlab2RGB(lab: readonly number[]): [number, number, number];
    };
  };
  readonly constants: {
    /** SpecificCharacterSet defined terms (lower case, "-" for "_" and " ") → WHATWG encoding labels. */
    readonly encodingMapping: Readonly<Record<string, string>>;
  };
}

let loaded: DcmjsApi | undefined;

/**
 * dcmjs, loaded through its CommonJS build so that no ambient module
 * declaration is needed, and typed by the interface above. Loaded on first
 * use (it takes about 60 ms), so the CLI and the app start without it.
 */
export function dcmjsApi(): DcmjsApi {
  loaded ??= createRequire(import.meta.url)('dcmjs') as DcmjsApi;
  return loaded;
}
