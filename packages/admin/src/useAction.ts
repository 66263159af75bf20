import { useState } from "react";
import { errorMessage } from "./api";

/**
 * Runs a change and keeps what it said: the message the change answers on success, the API's
 * message on failure. `busy` is true while it runs, so a form is not sent twice.
 */
export function useAction() {
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (change: () => Promise<string>) => {
    setBusy(true);
    try {
      setStatus(await change());
    } catch (failure) {
      setStatus(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return { status, busy, run };
}

/**
 * `useAction` for a form whose change carries a reason, as every admin change does: the reason's
 * state, and `field`, what `ReasonAndSubmit` takes besides its name and button (a form that may
 * not be sent for another cause sets `disabled` after it).
 */
export function useReasonedAction() {
  const [reason, setReason] = useState("");
  const action = useAction();
  return {
    ...action,
    reason,
    setReason,
    field: { reason, onReason: setReason, disabled: action.busy, status: action.status },
  };
}
