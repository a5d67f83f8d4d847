/**
 * What the label layers of a segmentation opened from a file may come to: 64 layers (the contract's edits address
 * layers 0–63) in 4 GiB. Every reader of layered labels keeps them: a 4D label map or NRRD (main/labels/openLabelMap.ts)
 * and a DICOM SEG whose segments overlap (main/dicomSeg/assertSegLayersFit.ts).
 */
export const labelLayerLimits = { layers: 64, bytes: 4 * 1024 ** 3 } as const;
