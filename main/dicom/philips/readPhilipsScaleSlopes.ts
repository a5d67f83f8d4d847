import type dicomParser from 'dicom-parser';

type DataSet = dicomParser.DataSet;

/** The private block Philips MR keeps its scale slope in: (2005,xx0E) under this creator. */
const philipsCreator = 'Philips MR Imaging DD 001';
/** Philips' per-frame private sequence in enhanced (multi-frame) objects. */
const privatePerFrameSequence = 'x2005140f';

/**
 * Each frame's Philips private scale slope SS (2005,100E, FL), for a file whose Manufacturer
 * (0008,0070) starts with "Philips" (dcm2niix's test: the first two letters are PH).
 * Classic files hold SS in the data set itself; enhanced files in each frame's item of the
 * private sequence (2005,140F) inside the per-frame (or shared) functional groups.
 * SS is read from the block whose private creator is "Philips MR Imaging DD 001", or from
 * (2005,100E) where no creator is named at all (as dcm2niix reads it).
 * @returns undefined for files that are not Philips; per frame, undefined where no SS is stored.
 */
export function readPhilipsScaleSlopes(dataSet: DataSet, frameCount: number): (number | undefined)[] | undefined {
  if (!/^ph/i.test((dataSet.string('x00080070') ?? '').trim())) return undefined;
  const shared = firstItem(dataSet, 'x52009229');
  const slopes: (number | undefined)[] = [];
  for (let f = 0; f < frameCount; f++) {
    const perFrame = dataSet.elements.x52009230?.items?.[f]?.dataSet;
    const source = firstItem(perFrame, privatePerFrameSequence) ?? firstItem(shared, privatePerFrameSequence) ?? dataSet;
    slopes.push(scaleSlope(source) ?? (source === dataSet ? undefined : scaleSlope(dataSet)));
  }
  return slopes;
}

function scaleSlope(dataSet: DataSet): number | undefined {
  const tag = scaleSlopeTag(dataSet);
  const element = tag === undefined ? undefined : dataSet.elements[tag];
  if (!element || element.length !== 4) return undefined;
  const value = dataSet.float(tag!);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** (2005,xx0E) of the block reserved by Philips' creator; (2005,100E) where no creator is present. */
function scaleSlopeTag(dataSet: DataSet): string | undefined {
  let anyCreator = false;
  for (let block = 0x10; block <= 0xff; block++) {
    const hex = block.toString(16).padStart(2, '0');
    const creator = dataSet.string(`x200500${hex}`);
    if (creator === undefined) continue;
    anyCreator = true;
    if (creator.trim() === philipsCreator) return `x2005${hex}0e`;
  }
  return anyCreator ? undefined : 'x2005100e';
}

function firstItem(dataSet: DataSet | undefined, tag: string): DataSet | undefined {
  return dataSet?.elements[tag]?.items?.[0]?.dataSet;
}
