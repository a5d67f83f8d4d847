/**
 * Where a time point lies in seconds from the first ("2.0 s"), `timePoint` (0-based) steps of `repetitionTime`
 * seconds: one decimal for steps of a second or more, more for shorter ones (0.05 s cardiac phases), never a float's
 * full 15 digits.
 */
export function formatTimeOffset(timePoint: number, repetitionTime: number): string {
  const decimals = repetitionTime >= 1 ? 1 : repetitionTime >= 0.1 ? 2 : 3;
  return `${(timePoint * repetitionTime).toFixed(decimals)} s`;
}
