import { useEffect, useState } from "react";
import { loadPortal, messageOf, PortalError, tokenFromPath } from "./api";
import { PortalPage } from "./components/PortalPage";
import type { PortalView } from "./types";

type State =
  | { kind: "loading" }
  | { kind: "ready"; view: PortalView }
  | { kind: "failed"; title: string; message: string };

const TITLES: Record<string, string> = {
  portal_link_expired: "This link has expired",
  portal_link_invalid: "This link is not valid",
};

export function App() {
  const token = tokenFromPath(window.location.pathname);
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    loadPortal(token).then(
      (view) => {
        document.title = `Usage and plan · ${view.customer.name ?? view.customer.id}`;
        setState({ kind: "ready", view });
      },
      (error: unknown) => {
        const code = error instanceof PortalError ? error.code : "";
        setState({
          kind: "failed",
          title: TITLES[code] ?? "The page could not be loaded",
          message: messageOf(error),
        });
      },
    );
  }, [token]);

  if (state.kind === "ready") return <PortalPage token={token} view={state.view} />;
  return (
    <main>
      {state.kind === "loading" ? (
        <p role="status">Loading your usage…</p>
      ) : (
        <>
          <h1>{state.title}</h1>
          <p role="alert">{state.message}</p>
        </>
      )}
    </main>
  );
}
