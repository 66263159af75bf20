import { diffRecords } from "@tollgate/core/diff";

/**
 * Two records side by side, one row per field: added, removed and changed fields marked; the
 * fields that stayed the same only when `showSame`. A record made from nothing (or deleted) has
 * one side only, so it is shown as one column.
 */
export function DiffTable(props: {
  before: unknown;
  after: unknown;
  labels?: [string, string];
  showSame?: boolean;
}) {
  const [beforeLabel, afterLabel] = props.labels ?? ["before", "after"];
  const rows = diffRecords(props.before, props.after).filter((r) => props.showSame || r.change !== "same");
  if (rows.length === 0) return <p className="hint">No differences.</p>;
  const oneSided = props.before == null ? "created" : props.after == null ? "deleted" : null;
  return (
    <table className={oneSided ? "diff one-sided" : "diff"} data-testid="diff">
      <thead>
        <tr>
          <th>Field</th>
          {oneSided ? (
            <th>{oneSided}</th>
          ) : (
            <>
              <th>{beforeLabel}</th>
              <th>{afterLabel}</th>
            </>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.path} className={row.change} data-change={row.change}>
            <td className="path">{row.path}</td>
            {oneSided !== "created" && <td className="was">{row.before ?? ""}</td>}
            {oneSided !== "deleted" && <td className="is">{row.after ?? ""}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
