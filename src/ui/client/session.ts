/** Who the UI is signed in as, from tollgate's /ui/session routes. */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { del, get, post } from "./api.ts";

export interface Session {
  signed_in_with: "master_key" | "virtual_key";
  user_id: string | null;
  user_role: "proxy_admin" | "proxy_admin_viewer" | "internal_user" | "internal_user_viewer";
  key_alias: string | null;
  key_name: string | null;
  team_id: string | null;
}

export const currentSession = () => get<Session>("/ui/session");
export const signIn = (key: string) => post<Session>("/ui/session", { key });
export const signOut = () => del<{ signed_out: true }>("/ui/session");

/** May read everything (proxy admins and admin viewers). */
export const seesEverything = (session: Session) => session.user_role === "proxy_admin" || session.user_role === "proxy_admin_viewer";
/** May change things (viewers are read-only). */
export const canChange = (session: Session) => session.user_role === "proxy_admin" || session.user_role === "internal_user";

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in page");
  return session;
}
