import { type MouseEvent, type ReactNode, useEffect, useState } from "react";

/** The app lives under /admin; the server answers index.html for every path below it. */
export const BASE = "/admin";

/** Goes to `path` below /admin (it may carry a query: "/audit?plan=team_pro"). */
export function navigate(path: string): void {
  history.pushState(null, "", `${BASE}${path}`);
  dispatchEvent(new PopStateEvent("popstate"));
}

/** Rewrites the query of the current page in place (filters), without a new history entry. */
export function replaceQuery(query: URLSearchParams): void {
  const search = query.toString();
  history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}`);
}

/** The current path below /admin ("/customers/acme") and its query, kept in step with the history. */
const readLocation = () => `${location.pathname.slice(BASE.length) || "/"}${location.search}`;

export function useLocation(): { path: string; query: URLSearchParams } {
  const [current, setCurrent] = useState(readLocation);
  useEffect(() => {
    const onChange = () => setCurrent(readLocation());
    addEventListener("popstate", onChange);
    return () => removeEventListener("popstate", onChange);
  }, []);
  const [path = "/", search = ""] = current.split("?");
  return { path, query: new URLSearchParams(search) };
}

export function Link({ to, children, current }: { to: string; children: ReactNode; current?: boolean }) {
  const follow = (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${BASE}${to}`} onClick={follow} aria-current={current ? "page" : undefined}>
      {children}
    </a>
  );
}
