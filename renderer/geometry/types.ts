/** The three planes the viewer shows. */
export type ViewName = 'axial' | 'coronal' | 'sagittal';
export const viewNames: readonly ViewName[] = ['axial', 'coronal', 'sagittal'];
