import type dicomParser from 'dicom-parser';

/**
 * One value of a DS or IS element (backslash-separated decimal text), or undefined when the element
 * is absent or empty, has no value at `index`, or that value is not a finite number.
 */
export function readDecimalString(dataSet: dicomParser.DataSet | undefined, tag: string, index = 0): number | undefined {
  // dicom-parser's floatString(tag, i) throws past the last value, so count first.
  if (!dataSet?.elements[tag] || (dataSet.numStringValues(tag) ?? 0) <= index) return undefined;
  const value = dataSet.floatString(tag, index);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}
