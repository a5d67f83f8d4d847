/**
 * The network tensor's spatial dimensions for a window of `roi` (the image's three axes): all three for a 3D
 * network; for a 2D network over slices across `sliceAxis` (MONAI's SliceInferer, whose network_wrapper
 * squeezes `spatial_dim + 2`), the other two in order. The window is 1 voxel thick along the slice axis, so its
 * [N, C, x, y, z] values (last axis fastest) are already laid out as [N, C, h, w]: no copy either way.
 */
export function networkSpatialShape<T>(roi: readonly [T, T, T], sliceAxis: 0 | 1 | 2 | undefined): T[] {
  return sliceAxis === undefined ? [...roi] : roi.filter((_, axis) => axis !== sliceAxis);
}
