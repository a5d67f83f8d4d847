/**
 * A details list for people: the rows as a definition list, except those naming a UID (their names end
 * in "UID", see main's describeVolume), which go behind a closed Details disclosure: no one reads a
 * 60-digit UID, but one may need it to tell two series apart or to quote it to PACS.
 */
export function DetailRows({ rows }: { readonly rows: readonly (readonly [string, string])[] }) {
  const isUid = ([key]: readonly [string, string]): boolean => /\bUID$/.test(key);
  const shown = rows.filter((row) => !isUid(row));
  const uids = rows.filter(isUid);
  return (
    <>
      <dl>
        {shown.map(([key, value], n) => (
          <div key={n}>
            <dt>{key}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {uids.length > 0 && (
        <details className="detail-uids" data-testid="detail-uids">
          <summary>Details</summary>
          <dl>
            {uids.map(([key, value], n) => (
              <div key={n}>
                <dt>{key}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </>
  );
}
