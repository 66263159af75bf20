import { type FormEvent, useState } from "react";
import { callApi } from "../api";
import { ReasonAndSubmit } from "../components/ReasonAndSubmit";
import { RemoveForm } from "../components/RemoveForm";
import type { Session } from "../session";
import type { ApiKey, Page } from "../types";
import { useReasonedAction } from "../useAction";
import { useApi } from "../useApi";

/** The API keys (admins only: the server refuses the list to other roles): made, listed, revoked. */
export function ApiKeysPage({ session }: { session: Session }) {
  const keys = useApi<Page<ApiKey>>(session.key, "/v1/admin/api-keys");
  const active = keys.data?.data.filter((k) => !k.revokedAt) ?? [];
  return (
    <section>
      <h1>API keys</h1>
      <p className="hint">
        Secret keys are the product's, one per environment; admin keys are people's, with a role. A secret is
        shown once, when its key is made; only its hash is kept.
      </p>
      {keys.error && <p className="error">{keys.error}</p>}
      <table data-testid="keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Environment</th>
            <th>Starts with</th>
            <th>Created</th>
            <th>Revoked</th>
          </tr>
        </thead>
        <tbody>
          {keys.data?.data.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>{key.type === "admin" ? `admin (${key.role})` : "secret"}</td>
              <td>{key.env}</td>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{key.createdAt.slice(0, 10)}</td>
              <td>{key.revokedAt ? key.revokedAt.slice(0, 10) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <NewKeyForm session={session} onCreated={keys.reload} />
      <RevokeKeyForm session={session} keys={active} onRevoked={keys.reload} />
    </section>
  );
}

function NewKeyForm(props: { session: Session; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState("secret");
  const [env, setEnv] = useState("live");
  const { reason, setReason, run, field } = useReasonedAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [type, role] = kind.split(":");
    run(async () => {
      const key = await callApi<ApiKey & { secret: string }>(
        props.session.key,
        "POST",
        "/v1/admin/api-keys",
        {
          name,
          type,
          ...(role ? { role } : {}),
          env,
          reason,
        },
      );
      setName("");
      setReason("");
      props.onCreated();
      return `Key ${key.name} made. Its secret, shown this once: ${key.secret}`;
    });
  };

  return (
    <form onSubmit={submit} aria-label="New API key">
      <h2>New key</h2>
      <div className="fields">
        <label>
          Name
          <input name="keyName" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Kind
          <select name="keyKind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="secret">secret (the product's)</option>
            <option value="admin:viewer">admin, viewer</option>
            <option value="admin:operator">admin, operator</option>
            <option value="admin:admin">admin, admin</option>
          </select>
        </label>
        <label>
          Environment
          <select name="keyEnv" value={env} onChange={(e) => setEnv(e.target.value)}>
            <option value="live">live</option>
            <option value="test">test</option>
          </select>
        </label>
      </div>
      <ReasonAndSubmit name="keyReason" submit="Make key" {...field} />
    </form>
  );
}

/** Revokes a key: refused from the next request on, and by every other server within a second. */
function RevokeKeyForm(props: { session: Session; keys: ApiKey[]; onRevoked: () => void }) {
  return (
    <RemoveForm
      title="Revoke an API key"
      heading="Revoke a key"
      pick={{ label: "Key", name: "revokeKey", placeholder: "Choose a key…" }}
      choices={props.keys.map((key) => ({
        value: key.id,
        label: `${key.name} (${key.prefix}…)${key.id === props.session.id ? " — the key you are signed in with" : ""}`,
      }))}
      reasonName="revokeReason"
      submit="Revoke key"
      remove={async (id, reason) => {
        const key = await callApi<ApiKey>(
          props.session.key,
          "DELETE",
          `/v1/admin/api-keys/${encodeURIComponent(id)}`,
          { reason },
        );
        props.onRevoked();
        return `Key ${key.name} revoked: it is refused from now on.`;
      }}
    />
  );
}
