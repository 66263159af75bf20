import { type FormEvent, useState } from "react";
import { callApi, errorMessage } from "../api";
import type { Session } from "../session";

/** Asks for an admin key and learns its role from GET /v1/admin/me. */
export function SignInPage({ onSignIn }: { onSignIn: (session: Session) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const me = await callApi<Omit<Session, "key">>(key.trim(), "GET", "/v1/admin/me");
      onSignIn({ key: key.trim(), id: me.id, name: me.name, role: me.role });
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <main className="sign-in">
      <h1>Tollgate admin</h1>
      <form onSubmit={submit}>
        <label>
          Admin API key
          <input
            name="key"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            required
          />
        </label>
        <button type="submit">Sign in</button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p className="hint">The key stays in this tab only (sessionStorage).</p>
    </main>
  );
}
