type Row = readonly [string, string];

/**
 * A details list for people: the rows as a definition list, except those naming a UID (their names end
 * in "UID", see main's describeVolume), which go behind a closed Details disclosure: no one reads a
 * 60-digit UID, but one may need it to tell two series apart or to quote it to PACS.
 */
export function DetailRows({ rows }: { readonly rows: readonly Row[] }) {
  const isUid = ([key]: Row): boolean => /\bUID$/.test(key);
  const uids = rows.filter(isUid);
  return (
    <>
      {definitions(rows.filter((row) => !isUid(row)))}
      {uids.length > 0 && (
        <details className="detail-uids" data-testid="detail-uids">
          <summary>Details</summary>
          {definitions(uids)}
        </details>
      )}
    </>
  );
}

function definitions(rows: readonly Row[]) {
  return (
    <dl>
      {rows.map(([key, value], n) => (
        <div key={n}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
