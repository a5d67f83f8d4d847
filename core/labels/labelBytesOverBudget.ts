/** Label bytes a segmentation may come to hold per voxel of its scan: 8 layers of 8-bit labels, 4 of 16-bit, or a mix. */
const maxLabelBytesPerVoxel = 8;

/**
 * Why a change that takes a segmentation's labels from `before` to `after` bytes per voxel (the sum of its
 * layers' element sizes) is refused, or null when it may go ahead: only growth past the budget is refused, so
 * a file opened with more layers can still be edited. Main checks each edit with it, the page each layer it adds,
 * so the two copies never part.
 */
export function labelBytesOverBudget(before: number, after: number): string | null {
  if (after <= before || after <= maxLabelBytesPerVoxel) return null;
  return (
    `the segmentation would hold ${after} bytes of labels per voxel, more than the ${maxLabelBytesPerVoxel} allowed ` +
    `(${maxLabelBytesPerVoxel} layers of 8-bit labels, or ${maxLabelBytesPerVoxel / 2} of 16-bit)`
  );
}
