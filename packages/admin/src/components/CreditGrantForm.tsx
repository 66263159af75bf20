import { type FormEvent, useState } from "react";
import { callApi, errorMessage } from "../api";
import type { Session } from "../session";

/** POST /v1/admin/customers/:id/credit-grants with an amount and a reason. */
export function CreditGrantForm(props: { session: Session; customerId: string; onGranted: () => void }) {
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [status, setStatus] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const grant = await callApi<{ id: string; amount: number }>(
        props.session.key,
        "POST",
        `/v1/admin/customers/${encodeURIComponent(props.customerId)}/credit-grants`,
        { amount: Number(amount), reason },
      );
      setStatus(`Granted ${grant.amount} credits (${grant.id}).`);
      setAmount("");
      setReason("");
      props.onGranted();
    } catch (failure) {
      setStatus(errorMessage(failure));
    }
  };

  return (
    <form onSubmit={submit} aria-label="Grant credits">
      <h2>Grant credits</h2>
      <label>
        Amount
        <input
          name="amount"
          type="number"
          min="1"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          required
        />
      </label>
      <label>
        Reason
        <input name="grantReason" value={reason} onChange={(e) => setReason(e.target.value)} required />
      </label>
      <button type="submit">Grant credits</button>
      {status && <p role="status">{status}</p>}
    </form>
  );
}
