import { useState } from "react";
import { ApiKeysPage } from "./pages/ApiKeysPage";
import { AuditPage } from "./pages/AuditPage";
import { CatalogPage } from "./pages/CatalogPage";
import { CustomerPage, type CustomerTab } from "./pages/CustomerPage";
import { CustomersPage } from "./pages/CustomersPage";
import { PlanPage } from "./pages/PlanPage";
import { ProvisioningRulesPage } from "./pages/ProvisioningRulesPage";
import { SignInPage } from "./pages/SignInPage";
import { Link, navigate, useLocation } from "./router";
import { canAdminister, loadSession, type Session, saveSession } from "./session";

const SECTIONS = [
  ["/customers", "Customers"],
  ["/catalog", "Catalog"],
  ["/provisioning-rules", "Provisioning rules"],
  ["/audit", "Audit log"],
] as const;
/** Sections only an admin may open: the server refuses them to the other roles. */
const ADMIN_SECTIONS = [["/api-keys", "API keys"]] as const;

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const { path, query } = useLocation();

  const signIn = (next: Session) => {
    saveSession(next);
    setSession(next);
    navigate("/customers");
  };
  const signOut = () => {
    saveSession(null);
    setSession(null);
    navigate("/");
  };

  if (!session) return <SignInPage onSignIn={signIn} />;
  return (
    <>
      <header>
        <strong>Tollgate admin</strong>
        <nav>
          {[...SECTIONS, ...(canAdminister(session) ? ADMIN_SECTIONS : [])].map(([to, label]) => (
            <Link key={to} to={to} current={path.startsWith(to)}>
              {label}
            </Link>
          ))}
        </nav>
        <span className="who">
          {session.name} · <span data-testid="role">{session.role}</span>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>{page(session, path, query)}</main>
    </>
  );
}

/** The page for a path below /admin; anything unknown lands on the customers list. */
function page(session: Session, path: string, query: URLSearchParams) {
  const customer = /^\/customers\/([^/]+)(?:\/(usage|history))?$/.exec(path);
  if (customer?.[1]) {
    const id = decodeURIComponent(customer[1]);
    const tab = (customer[2] ?? "overview") as CustomerTab;
    return <CustomerPage key={id} session={session} customerId={id} tab={tab} />;
  }
  const plan = /^\/catalog\/plans\/([^/]+)$/.exec(path);
  if (plan?.[1]) {
    const key = decodeURIComponent(plan[1]);
    return <PlanPage key={key} session={session} planKey={key} />;
  }
  if (path === "/catalog") return <CatalogPage session={session} />;
  if (path === "/provisioning-rules") return <ProvisioningRulesPage session={session} />;
  if (path === "/api-keys" && canAdminister(session)) return <ApiKeysPage session={session} />;
  if (path === "/audit") return <AuditPage key={query.toString()} session={session} query={query} />;
  return <CustomersPage session={session} />;
}
