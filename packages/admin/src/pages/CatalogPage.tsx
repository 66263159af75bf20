import { formatMinorUnits } from "@tollgate/core/display";
import { useState } from "react";
import { Link } from "../router";
import type { Session } from "../session";
import type { Feature, Page, PlanWithLatest } from "../types";
import { useApi } from "../useApi";

/** The catalog: every feature, and every plan with its latest version. */
export function CatalogPage({ session }: { session: Session }) {
  const features = useApi<Page<Feature>>(session.key, "/v1/admin/features");
  const plans = useApi<Page<PlanWithLatest>>(session.key, "/v1/admin/plans");
  const [showCustom, setShowCustom] = useState(true);
  const shown = (plans.data?.data ?? []).filter((p) => showCustom || !p.isCustom);
  return (
    <section>
      <h1>Catalog</h1>
      <h2>Plans</h2>
      <label className="inline">
        <input type="checkbox" checked={showCustom} onChange={(e) => setShowCustom(e.target.checked)} />
        Show custom plans
      </label>
      {plans.error && <p className="error">{plans.error}</p>}
      <table data-testid="plans">
        <thead>
          <tr>
            <th>Key</th>
            <th>Name</th>
            <th>Kind</th>
            <th>Latest version</th>
            <th>Base price</th>
            <th>Customer</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((plan) => (
            <tr key={plan.key}>
              <td>
                <Link to={`/catalog/plans/${encodeURIComponent(plan.key)}`}>{plan.key}</Link>
              </td>
              <td>{plan.name}</td>
              <td>{plan.kind}</td>
              <td>{plan.latestVersion ? `v${plan.latestVersion.version}` : "—"}</td>
              <td>
                {plan.latestVersion
                  ? `${formatMinorUnits(plan.latestVersion.basePrice, plan.latestVersion.currency)} / ${plan.latestVersion.interval}`
                  : "—"}
              </td>
              <td>
                {plan.customerId ? (
                  <Link to={`/customers/${encodeURIComponent(plan.customerId)}`}>{plan.customerId}</Link>
                ) : (
                  ""
                )}
              </td>
              <td>{plan.archivedAt ? `archived ${plan.archivedAt.slice(0, 10)}` : "active"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Features</h2>
      {features.error && <p className="error">{features.error}</p>}
      <table data-testid="features">
        <thead>
          <tr>
            <th>Key</th>
            <th>Name</th>
            <th>Type</th>
            <th>Unit</th>
            <th>Aggregation</th>
          </tr>
        </thead>
        <tbody>
          {features.data?.data.map((feature) => (
            <tr key={feature.key}>
              <td>
                <code>{feature.key}</code>
              </td>
              <td>{feature.name}</td>
              <td>{feature.type}</td>
              <td>{feature.unit ?? ""}</td>
              <td>{feature.aggregation ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
