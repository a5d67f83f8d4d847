import type { DataSet, Element } from 'dicom-parser';

/**
 * The element (gggg,xxee) of a private block, where (gggg,00xx) names its private creator
 * (PS3.5 7.8.1): Siemens puts (0029,1010) under "SIEMENS CSA HEADER" and (0019,100A) under
 * "SIEMENS MR HEADER", usually in block 10 but not necessarily.
 * @param group e.g. 0x0029; `element` is the low byte, e.g. 0x10.
 * @returns undefined when no block has that creator, or the block has no such element.
 */
export function findPrivateElement(dataSet: DataSet, group: number, creator: string, element: number): Element | undefined {
  const groupHex = group.toString(16).padStart(4, '0');
  for (let block = 0x10; block <= 0xff; block++) {
    const blockHex = block.toString(16).padStart(2, '0');
    const creatorTag = `x${groupHex}00${blockHex}`;
    if (!dataSet.elements[creatorTag]) continue;
    if ((dataSet.string(creatorTag) ?? '').trim() !== creator) continue;
    return dataSet.elements[`x${groupHex}${blockHex}${element.toString(16).padStart(2, '0')}`];
  }
  return undefined;
}
