import { type FormEvent, useState } from "react";
import { callApi } from "../api";
import { ReasonAndSubmit } from "../components/ReasonAndSubmit";
import { RemoveForm } from "../components/RemoveForm";
import { parseObject, pretty } from "../json";
import { Link } from "../router";
import { canAdminister, type Session } from "../session";
import type { Page, PlanWithLatest, ProvisioningRule } from "../types";
import { useReasonedAction } from "../useAction";
import { useApi } from "../useApi";

/** Email domain → plan + overrides: what a customer with a verified email there starts on. */
export function ProvisioningRulesPage({ session }: { session: Session }) {
  const rules = useApi<Page<ProvisioningRule>>(session.key, "/v1/admin/provisioning-rules");
  return (
    <section>
      <h1>Provisioning rules</h1>
      <p className="hint">
        A customer whose verified email is at a rule's domain lands on its plan with its overrides.
      </p>
      {rules.error && <p className="error">{rules.error}</p>}
      <table data-testid="rules">
        <thead>
          <tr>
            <th>Domain</th>
            <th>Plan</th>
            <th>Overrides</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {rules.data?.data.map((rule) => (
            <tr key={rule.id}>
              <td>{rule.domain}</td>
              <td>
                <Link to={`/catalog/plans/${encodeURIComponent(rule.planKey)}`}>{rule.planKey}</Link>
              </td>
              <td>
                <pre>{pretty(rule.overrides)}</pre>
              </td>
              <td>{rule.createdAt.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canAdminister(session) && (
        <>
          <RuleForm session={session} onCreated={rules.reload} />
          <DeleteRuleForm session={session} rules={rules.data?.data ?? []} onDeleted={rules.reload} />
        </>
      )}
    </section>
  );
}

function RuleForm(props: { session: Session; onCreated: () => void }) {
  const plans = useApi<Page<PlanWithLatest>>(props.session.key, "/v1/admin/plans");
  const [domain, setDomain] = useState("");
  const [planKey, setPlanKey] = useState("");
  const [text, setText] = useState("{}");
  const { reason, setReason, busy, run, field } = useReasonedAction();
  const parsed = parseObject(text);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ("error" in parsed) return;
    run(async () => {
      const rule = await callApi<ProvisioningRule>(
        props.session.key,
        "POST",
        "/v1/admin/provisioning-rules",
        {
          domain,
          planKey,
          overrides: parsed.value,
          reason,
        },
      );
      setDomain("");
      setReason("");
      setText("{}");
      props.onCreated();
      return `Rule for ${rule.domain} created.`;
    });
  };

  return (
    <form onSubmit={submit} aria-label="New provisioning rule">
      <h2>New rule</h2>
      <div className="fields">
        <label>
          Email domain
          <input name="domain" value={domain} onChange={(e) => setDomain(e.target.value)} required />
        </label>
        <label>
          Plan
          <select name="rulePlan" value={planKey} onChange={(e) => setPlanKey(e.target.value)} required>
            <option value="">Choose a plan…</option>
            {plans.data?.data
              .filter((p) => !p.isCustom && !p.archivedAt)
              .map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name} ({p.key})
                </option>
              ))}
          </select>
        </label>
      </div>
      <label>
        Overrides (JSON)
        <textarea name="ruleOverrides" rows={5} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {"error" in parsed && <p className="error">invalid JSON: {parsed.error}</p>}
      <ReasonAndSubmit
        name="ruleReason"
        submit="Create rule"
        {...field}
        disabled={"error" in parsed || busy}
      />
    </form>
  );
}

/** Stops a rule; the customers it provisioned keep their plans. */
function DeleteRuleForm(props: { session: Session; rules: ProvisioningRule[]; onDeleted: () => void }) {
  return (
    <RemoveForm
      title="Delete a provisioning rule"
      heading="Delete a rule"
      pick={{ label: "Rule", name: "deleteRule", placeholder: "Choose a domain…" }}
      choices={props.rules.map((rule) => ({ value: rule.id, label: rule.domain }))}
      reasonName="deleteRuleReason"
      submit="Delete rule"
      remove={async (id, reason) => {
        const rule = await callApi<ProvisioningRule>(
          props.session.key,
          "DELETE",
          `/v1/admin/provisioning-rules/${encodeURIComponent(id)}`,
          { reason },
        );
        props.onDeleted();
        return `Rule for ${rule.domain} deleted; the customers it provisioned keep their plans.`;
      }}
    />
  );
}
