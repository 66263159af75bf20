import { lazy, Suspense } from "react";
import { AuditList } from "../components/AuditList";
import { ContractSummary } from "../components/ContractSummary";
import { CreditGrantForm } from "../components/CreditGrantForm";
import { CustomPlanForm } from "../components/CustomPlanForm";
import { EffectivePlanView } from "../components/EffectivePlanView";
import { HistoryTimeline } from "../components/HistoryTimeline";
import { OverridesEditor } from "../components/OverridesEditor";
import { PlanChangeForm } from "../components/PlanChangeForm";
import { Link } from "../router";
import { canAdminister, canEdit, type Session } from "../session";
import type { AuditEntry, EffectivePlan, Page, PlanHistory, PlanWithLatest } from "../types";
import { useApi } from "../useApi";

/** The charts carry recharts: a chunk of their own, fetched when the usage tab first opens. */
const UsageCharts = lazy(() => import("../components/UsageCharts"));

/** The overview shows the latest changes; the audit log page has them all. */
const RECENT_AUDIT = 8;

export type CustomerTab = "overview" | "usage" | "history";

const TABS: Array<[CustomerTab, string, string]> = [
  ["overview", "Overview", ""],
  ["usage", "Usage", "/usage"],
  ["history", "Plan history", "/history"],
];

export function CustomerPage(props: { session: Session; customerId: string; tab: CustomerTab }) {
  const { session, customerId, tab } = props;
  const id = encodeURIComponent(customerId);
  const plan = useApi<EffectivePlan>(session.key, `/v1/customers/${id}/entitlements?explain=true`);
  return (
    <section>
      <h1>Customer {customerId}</h1>
      <nav className="tabs">
        {TABS.map(([name, label, suffix]) => (
          <Link key={name} to={`/customers/${id}${suffix}`} current={tab === name}>
            {label}
          </Link>
        ))}
      </nav>
      {plan.error && <p className="error">{plan.error}</p>}
      {plan.data && <ContractSummary plan={plan.data} />}
      {tab === "overview" && <Overview {...props} plan={plan.data} onChanged={plan.reload} />}
      {tab === "usage" && plan.data && (
        <Suspense fallback={<p className="hint">Loading charts…</p>}>
          <UsageCharts session={session} customerId={customerId} plan={plan.data} />
        </Suspense>
      )}
      {tab === "history" && <History session={session} customerId={customerId} />}
    </section>
  );
}

/** The effective plan, the changes an operator (or admin) may make, and the customer's audit. */
function Overview(props: {
  session: Session;
  customerId: string;
  plan: EffectivePlan | null;
  onChanged: () => void;
}) {
  const { session, customerId } = props;
  const audit = useApi<Page<AuditEntry>>(
    session.key,
    `/v1/admin/audit?customer=${encodeURIComponent(customerId)}&limit=${RECENT_AUDIT}`,
  );
  const plans = useApi<Page<PlanWithLatest>>(session.key, "/v1/admin/plans");
  const assignable = (plans.data?.data ?? []).filter(
    (p) => !p.archivedAt && (!p.isCustom || p.customerId === customerId),
  );
  const changed = () => {
    props.onChanged();
    audit.reload();
    plans.reload();
  };
  return (
    <>
      {props.plan && <EffectivePlanView plan={props.plan} />}
      {canEdit(session) && (
        <div className="forms">
          <OverridesEditor session={session} customerId={customerId} onSaved={changed} />
          <div>
            <CreditGrantForm session={session} customerId={customerId} onGranted={changed} />
            <PlanChangeForm
              session={session}
              customerId={customerId}
              plans={assignable}
              onChanged={changed}
            />
          </div>
        </div>
      )}
      {canAdminister(session) && plans.data && props.plan && (
        <CustomPlanForm
          session={session}
          customerId={customerId}
          plans={plans.data.data.filter((p) => !p.isCustom || p.customerId === customerId)}
          startFrom={props.plan.plan?.key}
          onCreated={changed}
        />
      )}
      <h2>Audit</h2>
      {audit.error && <p className="error">{audit.error}</p>}
      {audit.data && <AuditList entries={audit.data.data} />}
      {audit.data?.has_more && (
        <Link to={`/audit?customer=${encodeURIComponent(customerId)}`}>
          All audit entries of {customerId}
        </Link>
      )}
    </>
  );
}

function History({ session, customerId }: { session: Session; customerId: string }) {
  const history = useApi<PlanHistory>(
    session.key,
    `/v1/admin/customers/${encodeURIComponent(customerId)}/history`,
  );
  if (history.error) return <p className="error">{history.error}</p>;
  return history.data ? <HistoryTimeline history={history.data} /> : null;
}
