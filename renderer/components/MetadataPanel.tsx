import type { VolumeHeader } from '../../core/contract.js';
import { DetailRows } from './DetailRows.js';
import { formatValue } from '../display/describeVoxel.js';

/** The series' metadata: what main put in `details`, then whatever of the geometry it didn't. */
export function MetadataPanel({ header }: { readonly header: VolumeHeader }) {
  const mm = (v: readonly number[]): string => v.map((x) => Number(x.toFixed(3))).join(' × ');
  const geometry: [string, string][] = [
    ['Modality', header.modality || '—'],
    ['Dimensions', header.dimensions.join(' × ')],
    ['Spacing', `${mm(header.spacing)} mm`],
    ['Data type', header.dataType],
    ['Value range', `${formatValue(header.range[0])} … ${formatValue(header.range[1])}${header.units ? ` ${header.units}` : ''}`],
  ];
  const given = new Set(header.details.map(([k]) => k.toLowerCase()));
  const rows: [string, string][] = [...header.details.map(([k, v]): [string, string] => [k, v]), ...geometry.filter(([k]) => !given.has(k.toLowerCase()))];
  return (
    <section className="panel" data-testid="metadata">
      <h2>Series</h2>
      <DetailRows rows={rows} />
      {header.warnings.length > 0 && (
        <ul className="warnings" data-testid="volume-warnings">
          {header.warnings.map((w, n) => (
            <li key={n}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
