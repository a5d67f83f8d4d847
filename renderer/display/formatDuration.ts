/** "about 12 s left", "about 3 min left", or "estimating time left" while the estimate is unknown. */
export function formatTimeLeft(etaSeconds: number | null): string {
  if (etaSeconds === null || !Number.isFinite(etaSeconds) || etaSeconds < 0) return 'estimating time left';
  if (etaSeconds < 1) return 'almost done';
  if (etaSeconds < 90) return `about ${Math.round(etaSeconds)} s left`;
  return `about ${Math.round(etaSeconds / 60)} min left`;
}
