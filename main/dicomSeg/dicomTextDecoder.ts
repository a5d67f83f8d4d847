import { TextDecoder } from 'node:util';
import type { DataSet } from 'dicom-parser';
import { dcmjsApi } from './dcmjsApi.js';

/**
 * The decoder of a data set's SpecificCharacterSet (0008,0005), PS3.5 6.1: its first defined
 * term that a TextDecoder knows (dcmjs's table of DICOM terms to WHATWG labels: ISO_IR 192 is
 * UTF-8, ISO_IR 100 Latin-1, ISO_IR 101, 109, 110, 126, 127, 138, 144 and 148 the other
 * ISO 8859 parts, ISO_IR 13 Shift JIS, GB18030, GBK, and their ISO 2022 forms), else the default
 * repertoire read as Latin-1, its superset.
 */
export function dicomTextDecoder(dataSet: DataSet): TextDecoder {
  const terms = (dataSet.string('x00080005') ?? '').split('\\');
  for (const term of terms) {
    const label = dcmjsApi().constants.encodingMapping[term.trim().replace(/[_ ]/g, '-').toLowerCase()];
    if (!label || term.trim() === '') continue;
    try {
      return new TextDecoder(label);
    } catch {
      // A label this Node build lacks: try the next term.
    }
  }
  return new TextDecoder('latin1');
}
