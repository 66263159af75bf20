/** The signed-in admin key and what the server said about it, kept for this browser tab only. */
export interface Session {
  key: string;
  id: string;
  name: string;
  role: "admin" | "operator" | "viewer";
}

const STORAGE_KEY = "tollgate.admin.session";

export function loadSession(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  return stored ? (JSON.parse(stored) as Session) : null;
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** The server's roles, shown as controls: viewers read, operators also change customers… */
export const canEdit = (session: Session): boolean => session.role !== "viewer";
/** …and admins also change the catalog and the provisioning rules (the server holds the same lines). */
export const canAdminister = (session: Session): boolean => session.role === "admin";
