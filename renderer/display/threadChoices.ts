/** The most decoding threads main accepts (the contract's AppSettings). */
export const maxDecodeThreads = 256;

/**
 * The fixed thread counts the Settings dialog offers: 1 to the number of
 * cores (more would only wait for a core), and a saved count above that
 * too, so that the dialog can show what is saved.
 */
export function threadChoices(cores: number, saved: number | null): number[] {
  const top = Math.min(maxDecodeThreads, Math.max(1, Math.floor(cores) || 1, saved ?? 1));
  return Array.from({ length: top }, (_, n) => n + 1);
}
