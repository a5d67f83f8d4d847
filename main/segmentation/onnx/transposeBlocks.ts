/**
 * Transposes each of `count` consecutive [rows, cols] blocks of `source` into [cols, rows] in `target`: a batch
 * [N, C, V] (channels first, V voxels) to [N, V, C] (channels last) and back. Returns `target`'s first
 * count × rows × cols values.
 */
export function transposeBlocks(source: Float32Array, target: Float32Array, count: number, rows: number, cols: number): Float32Array {
  const block = rows * cols;
  for (let b = 0; b < count; b++) {
    const from = b * block;
    for (let r = 0; r < rows; r++) {
      const row = from + r * cols;
      for (let c = 0; c < cols; c++) target[from + c * rows + r] = source[row + c]!;
    }
  }
  return target.subarray(0, count * block);
}
