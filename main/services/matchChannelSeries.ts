/** A series as the channel matcher sees it. */
export interface ChannelCandidate {
  readonly index: number;
  readonly description: string;
}

type SequenceKind = 'flair' | 't1c' | 't1' | 't2' | 'pd' | 'dwi' | 'adc';

/**
 * The MR sequence a channel name or series description names, as scanners and BraTS-style bundles write them
 * ("T1c", "T1 post Gd", "t1ce", "T2 TSE", "3D FLAIR", "T2-FLAIR", BraTS's file names); null when it names none of these.
 */
function sequenceKind(text: string): SequenceKind | null {
  const t = ` ${text.toLowerCase().replace(/[^a-z0-9+]+/g, ' ')} `;
  // BraTS 2023 names FLAIR t2f (and native T1 t1n, T2 t2w).
  if (/flair|\bt2f\b/.test(t)) return 'flair';
  if (/\badc\b|apparent/.test(t)) return 'adc';
  if (/\bdwi\b|diffusion|\btrace\b/.test(t)) return 'dwi';
  const t1 = /\bt1(w|wi)?\b|\bt1[a-z]*\b|mprage|\bspgr\b|\bvibe\b/.test(t);
  if (t1 && /\bt1(c|ce|gd|post)\b|\bpost\b|\bgd\b|gad|contrast|\+c\b|\bc\+|\bce\b|\bkm\b/.test(t)) return 't1c';
  if (t1) return 't1';
  if (/\bt2(w|wi)?\b|\bt2[a-z]*\b/.test(t)) return 't2';
  if (/\bpd(w|wi)?\b|proton density/.test(t)) return 'pd';
  return null;
}

/** The words of a name, lower case, for names that are not MR sequences (contrast phases: "arterial", "venous"). */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * Pre-chooses a series for each of a model's input channels by description: a channel naming an MR sequence
 * takes a series of that sequence (a T1c channel never a plain T1, nor the reverse); any other channel takes a
 * series whose description holds all of the channel name's words. Each series serves one channel, taken in scan
 * order; a channel with no match gets null, for the user to choose.
 */
export function matchChannelSeries(channels: readonly string[], series: readonly ChannelCandidate[]): (number | null)[] {
  const used = new Set<number>();
  return channels.map((channel) => {
    const kind = sequenceKind(channel);
    const wanted = words(channel);
    const matches = (candidate: ChannelCandidate): boolean => {
      if (kind !== null) return sequenceKind(candidate.description) === kind;
      const have = new Set(words(candidate.description));
      return wanted.length > 0 && wanted.every((w) => have.has(w));
    };
    const found = series.find((candidate) => !used.has(candidate.index) && matches(candidate));
    if (!found) return null;
    used.add(found.index);
    return found.index;
  });
}
