import type { AuditEntry } from "../types";
import { DiffTable } from "./DiffTable";

const show = (value: unknown) =>
  value === null || value === undefined ? "—" : JSON.stringify(value, null, 2);

/** Audit entries, newest first: who did what, why, what changed, and the records before and after. */
export function AuditList({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p className="hint">No audit entries.</p>;
  return (
    <ol className="audit">
      {entries.map((entry) => (
        <li key={entry.id} data-testid="audit-entry">
          <div>
            <strong>{entry.action}</strong> by {entry.actorId} ({entry.actorRole}) at {entry.at}
            {entry.customerId && <> · customer {entry.customerId}</>}
            {entry.planKey && <> · plan {entry.planKey}</>}
          </div>
          <div>Reason: {entry.reason ?? "—"}</div>
          <DiffTable before={entry.before} after={entry.after} />
          <details>
            <summary>Records before and after</summary>
            <div className="before-after">
              <div>
                <div className="label">before</div>
                <pre>{show(entry.before)}</pre>
              </div>
              <div>
                <div className="label">after</div>
                <pre>{show(entry.after)}</pre>
              </div>
            </div>
          </details>
        </li>
      ))}
    </ol>
  );
}
