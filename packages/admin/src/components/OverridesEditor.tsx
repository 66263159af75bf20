import { type FormEvent, useEffect, useState } from "react";
import { callApi, errorMessage } from "../api";
import { parseObject, pretty } from "../json";
import type { Session } from "../session";
import type { OverrideSet } from "../types";
import { useReasonedAction } from "../useAction";
import { ReasonAndSubmit } from "./ReasonAndSubmit";

/** Replaces the customer's overrides (PUT), showing the set in force and the one it will write. */
export function OverridesEditor(props: { session: Session; customerId: string; onSaved: () => void }) {
  const path = `/v1/admin/customers/${encodeURIComponent(props.customerId)}/overrides`;
  const [before, setBefore] = useState<Record<string, unknown>>({});
  const [text, setText] = useState("{}");
  const { reason, setReason, busy, run, field } = useReasonedAction();
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    callApi<{ current: OverrideSet | null }>(props.session.key, "GET", path).then(
      (answer) => {
        const current = answer.current?.overrides ?? {};
        setBefore(current);
        setText(pretty(current));
      },
      (failure) => setLoadError(errorMessage(failure)),
    );
  }, [props.session.key, path]);

  const parsed = parseObject(text);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ("error" in parsed) return;
    run(async () => {
      const saved = await callApi<OverrideSet>(props.session.key, "PUT", path, {
        overrides: parsed.value,
        reason,
      });
      setBefore(saved.overrides);
      setText(pretty(saved.overrides));
      setReason("");
      props.onSaved();
      return "Overrides saved.";
    });
  };

  return (
    <form onSubmit={submit} aria-label="Overrides">
      <h2>Overrides</h2>
      {loadError && <p className="error">{loadError}</p>}
      <label>
        Overrides (JSON)
        <textarea name="overrides" rows={10} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <div className="before-after">
        <div>
          <div className="label">before</div>
          <pre data-testid="overrides-before">{pretty(before)}</pre>
        </div>
        <div>
          <div className="label">after</div>
          <pre data-testid="overrides-after">
            {"error" in parsed ? `invalid JSON: ${parsed.error}` : pretty(parsed.value)}
          </pre>
        </div>
      </div>
      <ReasonAndSubmit
        name="overridesReason"
        submit="Save overrides"
        {...field}
        disabled={"error" in parsed || busy}
      />
    </form>
  );
}
