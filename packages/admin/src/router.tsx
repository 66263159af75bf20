import { type MouseEvent, type ReactNode, useEffect, useState } from "react";

/** The app lives under /admin; the server answers index.html for every path below it. */
export const BASE = "/admin";

export function navigate(path: string): void {
  history.pushState(null, "", `${BASE}${path}`);
  dispatchEvent(new PopStateEvent("popstate"));
}

/** The current path below /admin ("/customers/acme"), kept in step with the history. */
const readPath = () => location.pathname.slice(BASE.length) || "/";

export function usePath(): string {
  const [path, setPath] = useState(readPath);
  useEffect(() => {
    const onChange = () => setPath(readPath());
    addEventListener("popstate", onChange);
    return () => removeEventListener("popstate", onChange);
  }, []);
  return path;
}

export function Link({ to, children }: { to: string; children: ReactNode }) {
  const follow = (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${BASE}${to}`} onClick={follow}>
      {children}
    </a>
  );
}
