import { AuditList } from "../components/AuditList";
import { CreditGrantForm } from "../components/CreditGrantForm";
import { EffectivePlanView } from "../components/EffectivePlanView";
import { OverridesEditor } from "../components/OverridesEditor";
import { canEdit, type Session } from "../session";
import type { AuditEntry, EffectivePlan, Page } from "../types";
import { useApi } from "../useApi";

export function CustomerPage({ session, customerId }: { session: Session; customerId: string }) {
  const id = encodeURIComponent(customerId);
  const plan = useApi<EffectivePlan>(session.key, `/v1/customers/${id}/entitlements?explain=true`);
  const audit = useApi<Page<AuditEntry>>(session.key, `/v1/admin/audit?customer=${id}&limit=50`);
  const changed = () => {
    plan.reload();
    audit.reload();
  };
  return (
    <section>
      <h1>Customer {customerId}</h1>
      {plan.error && <p className="error">{plan.error}</p>}
      {plan.data && <EffectivePlanView plan={plan.data} />}
      {canEdit(session) && (
        <div className="forms">
          <OverridesEditor session={session} customerId={customerId} onSaved={changed} />
          <CreditGrantForm session={session} customerId={customerId} onGranted={changed} />
        </div>
      )}
      <h2>Audit</h2>
      {audit.error && <p className="error">{audit.error}</p>}
      {audit.data && <AuditList entries={audit.data.data} />}
    </section>
  );
}
