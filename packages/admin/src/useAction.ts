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
