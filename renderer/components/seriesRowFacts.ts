import type { SeriesSummary } from '../../core/contract.js';
import { plural } from '../display/plural.js';

/**
 * The facts that tell a scan's series apart in the picker, as readers write them: "Se 7", the
 * description, then modality, images, matrix (512×512×300), "derived" (only when not original),
 * time points ("40 time points") and the echo. Absent facts are left out, never guessed.
 */
export function seriesRowFacts(s: SeriesSummary): { readonly title: string; readonly facts: readonly string[] } {
  const number = s.seriesNumber === undefined ? null : `Se ${s.seriesNumber}`;
  const title = [number, s.description || (number ? '' : `Series ${s.index}`)].filter(Boolean).join(' · ');
  const images = s.images ?? s.files;
  const noun = s.images === undefined ? 'file' : 'image';
  const timePoints = s.timePoints ?? 1;
  const facts = [
    s.modality || s.format.toUpperCase(),
    plural(images, noun),
    s.dimensions ? s.dimensions.join('×') : null,
    s.derived ? 'derived' : null,
    timePoints > 1 ? `${timePoints} time points` : null,
    // Main names an echo's series "… · echo 2" already: said once.
    s.echo === undefined || title.endsWith(`echo ${s.echo}`) ? null : `echo ${s.echo}`,
  ];
  return { title, facts: facts.filter((fact): fact is string => fact !== null) };
}
