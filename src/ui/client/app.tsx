/** The shell: sign-in, the navigation, and the page the URL names. */
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiFailure, whenSignedOut } from "./api.ts";
import { asError } from "./components/async.ts";
import { ErrorNotice, Loading } from "./components/feedback.tsx";
import { CustomersPage } from "./pages/customers.tsx";
import { KeysPage } from "./pages/keys.tsx";
import { ModelsPage } from "./pages/models.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { SpendPage } from "./pages/spend.tsx";
import { TeamsPage } from "./pages/teams.tsx";
import { UsersPage } from "./pages/users.tsx";
import { href, type Route, useRoute } from "./router.ts";
import { currentSession, type Session, SessionContext, seesEverything, signOut } from "./session.ts";

interface PageEntry {
  page: string;
  title: string;
  component: FunctionComponent<{ route: Route }>;
  /** Shown only to those who may read everything. */
  adminOnly?: boolean;
}

const PAGES: PageEntry[] = [
  { page: "keys", title: "Keys", component: KeysPage },
  { page: "users", title: "Users", component: UsersPage, adminOnly: true },
  { page: "teams", title: "Teams", component: TeamsPage },
  { page: "customers", title: "Customers", component: CustomersPage, adminOnly: true },
  { page: "models", title: "Models", component: ModelsPage },
  { page: "spend", title: "Spend", component: SpendPage },
];

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<Error>();

  const check = () => {
    setError(undefined);
    currentSession().then(setSession, (err) => {
      // 401: nobody is signed in; anything else is worth saying.
      if (err instanceof ApiFailure && err.status === 401) setSession(null);
      else setError(asError(err));
    });
  };
  useEffect(() => {
    whenSignedOut(() => setSession(null));
    check();
  }, []);

  if (error) return <main class="centered"><ErrorNotice error={error} onRetry={check} /></main>;
  if (session === undefined) return <main class="centered"><Loading what="Starting" /></main>;
  if (session === null) return <SignInPage onSignedIn={setSession} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} onSignedOut={() => setSession(null)} />
    </SessionContext.Provider>
  );
}

function Shell({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const route = useRoute();
  const pages = PAGES.filter((p) => !p.adminOnly || seesEverything(session));
  const current = pages.find((p) => p.page === route.page) ?? pages[0]!;
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    document.title = `${current.title} · tollgate`;
    setMenuOpen(false);
  }, [current.page]);

  const leave = async () => {
    await signOut().catch(() => undefined); // the cookie is cleared server-side; signed out here either way
    onSignedOut();
  };

  const Page = current.component;
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">tollgate</span>
        <button type="button" class="menu-toggle secondary" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <nav id="nav" class={menuOpen ? "open" : undefined} aria-label="Pages">
          {pages.map((p) => (
            <a key={p.page} href={href(p.page)} aria-current={p === current ? "page" : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        <div class="who">
          <span title={session.user_role}>{session.signed_in_with === "master_key" ? "Master key" : (session.key_alias ?? session.user_id ?? session.key_name ?? "Signed in")}</span>
          <button type="button" class="secondary" onClick={leave}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page key={current.page} route={route} />
      </main>
    </div>
  );
}
