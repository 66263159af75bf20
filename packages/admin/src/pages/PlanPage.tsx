import { formatMinorUnits } from "@tollgate/core/display";
import { type FormEvent, useState } from "react";
import { callApi } from "../api";
import { DiffTable } from "../components/DiffTable";
import { ReasonAndSubmit } from "../components/ReasonAndSubmit";
import { formatInstant } from "../format";
import { Link } from "../router";
import { canAdminister, type Session } from "../session";
import type { PlanDetail, PlanVersion } from "../types";
import { useReasonedAction } from "../useAction";
import { useApi } from "../useApi";

/** What a version says, without what every version has of its own (its id and number). */
const termsOf = ({ id, version, planKey, ...terms }: PlanVersion) => terms;

/** A plan, its versions, two of them side by side, and (for admins) archiving it. */
export function PlanPage({ session, planKey }: { session: Session; planKey: string }) {
  const detail = useApi<PlanDetail>(session.key, `/v1/admin/plans/${encodeURIComponent(planKey)}`);
  if (detail.error) return <p className="error">{detail.error}</p>;
  if (!detail.data) return null;
  const { plan, versions } = detail.data;
  return (
    <section>
      <h1>
        Plan {plan.name} <code>{plan.key}</code>
      </h1>
      <p>
        {plan.kind}
        {plan.isCustom && plan.customerId && (
          <>
            {" "}
            · custom plan of{" "}
            <Link to={`/customers/${encodeURIComponent(plan.customerId)}`}>{plan.customerId}</Link>
          </>
        )}
        {" · "}
        <span data-testid="plan-status">
          {plan.archivedAt ? `archived ${formatInstant(plan.archivedAt)}` : "active"}
        </span>
        {" · "}
        <Link to={`/audit?plan=${encodeURIComponent(plan.key)}`}>Audit of this plan</Link>
      </p>
      <h2>Versions</h2>
      <table>
        <thead>
          <tr>
            <th>Version</th>
            <th>Published</th>
            <th>Effective</th>
            <th>Base price</th>
            <th>Entitlements</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id}>
              <td>v{v.version}</td>
              <td>{formatInstant(v.publishedAt)}</td>
              <td>
                {v.effectiveFrom ? formatInstant(v.effectiveFrom) : "always"} →{" "}
                {v.effectiveTo ? formatInstant(v.effectiveTo) : "open"}
              </td>
              <td>
                {formatMinorUnits(v.basePrice, v.currency)} / {v.interval}
              </td>
              <td>{Object.keys(v.entitlements).length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <VersionDiff versions={versions} />
      {canAdminister(session) && !plan.archivedAt && (
        <ArchiveForm session={session} planKey={plan.key} onArchived={detail.reload} />
      )}
    </section>
  );
}

/** Two versions chosen side by side; by default the newest against the one before it. */
function VersionDiff({ versions }: { versions: PlanVersion[] }) {
  const [left, setLeft] = useState(versions[1]?.version ?? versions[0]?.version ?? 1);
  const [right, setRight] = useState(versions[0]?.version ?? 1);
  const [showSame, setShowSame] = useState(false);
  const a = versions.find((v) => v.version === left);
  const b = versions.find((v) => v.version === right);
  const picker = (label: string, value: number, set: (n: number) => void) => (
    <label className="inline">
      {label}{" "}
      <select value={value} onChange={(e) => set(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v.id} value={v.version}>
            v{v.version}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <h2>Compare versions</h2>
      <div className="toolbar">
        {picker("Left", left, setLeft)}
        {picker("Right", right, setRight)}
        <label className="inline">
          <input type="checkbox" checked={showSame} onChange={(e) => setShowSame(e.target.checked)} />
          Show unchanged fields
        </label>
      </div>
      {a && b && (
        <DiffTable
          before={termsOf(a)}
          after={termsOf(b)}
          labels={[`v${a.version}`, `v${b.version}`]}
          showSame={showSame}
        />
      )}
    </>
  );
}

function ArchiveForm(props: { session: Session; planKey: string; onArchived: () => void }) {
  const { reason, run, field } = useReasonedAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      await callApi(
        props.session.key,
        "POST",
        `/v1/admin/plans/${encodeURIComponent(props.planKey)}/archive`,
        {
          reason,
        },
      );
      props.onArchived();
      return "Plan archived.";
    });
  };
  return (
    <form onSubmit={submit} aria-label="Archive plan">
      <h2>Archive</h2>
      <p className="hint">An archived plan takes no new assignments; its subscribers keep it.</p>
      <ReasonAndSubmit name="archiveReason" submit="Archive plan" {...field} />
    </form>
  );
}
