import { type FormEvent, useEffect, useState } from "react";
import { callApi, errorMessage } from "../api";
import type { Session } from "../session";
import type { OverrideSet } from "../types";

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function parse(text: string): { overrides: Record<string, unknown> } | { error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { error: "the overrides must be a JSON object" };
    }
    return { overrides: value as Record<string, unknown> };
  } catch (failure) {
    return { error: errorMessage(failure) };
  }
}

/** Replaces the customer's overrides (PUT), showing the set in force and the one it will write. */
export function OverridesEditor(props: { session: Session; customerId: string; onSaved: () => void }) {
  const path = `/v1/admin/customers/${encodeURIComponent(props.customerId)}/overrides`;
  const [before, setBefore] = useState<Record<string, unknown>>({});
  const [text, setText] = useState("{}");
  const [reason, setReason] = useState("");
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    callApi<{ current: OverrideSet | null }>(props.session.key, "GET", path).then(
      (answer) => {
        const current = answer.current?.overrides ?? {};
        setBefore(current);
        setText(pretty(current));
      },
      (failure) => setStatus(errorMessage(failure)),
    );
  }, [props.session.key, path]);

  const parsed = parse(text);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ("error" in parsed) return;
    try {
      const saved = await callApi<OverrideSet>(props.session.key, "PUT", path, {
        overrides: parsed.overrides,
        reason,
      });
      setBefore(saved.overrides);
      setText(pretty(saved.overrides));
      setReason("");
      setStatus("Overrides saved.");
      props.onSaved();
    } catch (failure) {
      setStatus(errorMessage(failure));
    }
  };

  return (
    <form onSubmit={submit} aria-label="Overrides">
      <h2>Overrides</h2>
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
            {"error" in parsed ? `invalid JSON: ${parsed.error}` : pretty(parsed.overrides)}
          </pre>
        </div>
      </div>
      <label>
        Reason
        <input name="overridesReason" value={reason} onChange={(e) => setReason(e.target.value)} required />
      </label>
      <button type="submit" disabled={"error" in parsed}>
        Save overrides
      </button>
      {status && <p role="status">{status}</p>}
    </form>
  );
}
