import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { OpenKind, SaveFilter } from '../services/AppServices.js';

const allFiles = { name: 'All files', extensions: ['*'] };

/**
 * The open dialog for each kind of input. DICOM files often have no
 * extension, so images default to all files. A model is a bundle folder or an
 * .onnx file; where one dialog cannot pick both (Windows, Linux) a bundle is
 * picked by its configs/metadata.json.
 */
export function openDialogOptions(kind: OpenKind, platform: NodeJS.Platform): OpenDialogOptions {
  switch (kind) {
    case 'file':
      return {
        title: 'Open Image',
        properties: ['openFile'],
        filters: [allFiles, { name: 'NIfTI, NRRD, DICOM', extensions: ['nii', 'gz', 'nrrd', 'nhdr', 'dcm'] }],
      };
    case 'folder':
      return { title: 'Open Folder', properties: ['openDirectory'] };
    case 'mask':
      return {
        title: 'Open Segmentation',
        properties: ['openFile'],
        filters: [{ name: 'Label maps (NIfTI, NRRD)', extensions: ['nii', 'gz', 'nrrd', 'nhdr'] }, allFiles],
      };
    case 'model':
      return {
        title: 'Open Model',
        message: 'Choose an .onnx model (with its .axial.json) or a MONAI bundle',
        properties: platform === 'darwin' ? ['openFile', 'openDirectory'] : ['openFile'],
        filters: [{ name: 'ONNX model or bundle metadata.json', extensions: ['onnx', 'json', 'yaml', 'yml'] }],
      };
  }
}

/** The save dialog, starting in `folder` with the suggested name. */
export function saveDialogOptions(folder: string, suggestedName: string, filters: readonly SaveFilter[]): SaveDialogOptions {
  return {
    defaultPath: `${folder.replace(/[\\/]+$/, '')}/${suggestedName}`,
    filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}
