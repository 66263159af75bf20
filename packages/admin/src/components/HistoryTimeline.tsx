import { formatInstant } from "../format";
import type { PlanHistory } from "../types";
import { DiffTable } from "./DiffTable";

/**
 * The customer's plan history: the contracts as effective-dated ranges, then every assignment,
 * change and override set as a timeline, newest first, each with what it changed.
 */
export function HistoryTimeline({ history }: { history: PlanHistory }) {
  return (
    <>
      <h2>Contracts</h2>
      <table>
        <thead>
          <tr>
            <th>Plan</th>
            <th>Status</th>
            <th>From</th>
            <th>To</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {history.subscriptions.map((s) => (
            <tr key={s.id} data-testid="contract">
              <td>
                {s.planKey} <span className="hint">({s.planVersionId})</span>
              </td>
              <td>{s.status}</td>
              <td>{formatInstant(s.effectiveFrom)}</td>
              <td>{s.effectiveTo ? formatInstant(s.effectiveTo) : "open"}</td>
              <td>{s.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Timeline</h2>
      {history.entries.length === 0 && <p className="hint">Nothing has changed yet.</p>}
      <ol className="timeline">
        {history.entries.map((entry) => (
          <li key={entry.id} data-testid="history-entry">
            <div className="when">{formatInstant(entry.at)}</div>
            <div>
              <strong>{entry.action}</strong>
              {entry.planKey && <> · {entry.planKey}</>} · by {entry.actorId} ({entry.actorRole})
            </div>
            <div>Reason: {entry.reason ?? "—"}</div>
            <DiffTable before={entry.before} after={entry.after} />
          </li>
        ))}
      </ol>
    </>
  );
}
