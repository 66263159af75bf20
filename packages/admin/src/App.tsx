import { useState } from "react";
import { CustomerPage } from "./pages/CustomerPage";
import { CustomersPage } from "./pages/CustomersPage";
import { SignInPage } from "./pages/SignInPage";
import { Link, navigate, usePath } from "./router";
import { loadSession, type Session, saveSession } from "./session";

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const path = usePath();

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
  const customerId = /^\/customers\/([^/]+)$/.exec(path)?.[1];
  return (
    <>
      <header>
        <strong>Tollgate admin</strong>
        <Link to="/customers">Customers</Link>
        <span className="who">
          {session.name} · <span data-testid="role">{session.role}</span>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        {customerId ? (
          <CustomerPage session={session} customerId={decodeURIComponent(customerId)} />
        ) : (
          <CustomersPage session={session} />
        )}
      </main>
    </>
  );
}
