import { useState } from "preact/hooks";
import { asError } from "../components/async.ts";
import { ErrorNotice } from "../components/feedback.tsx";
import { type Session, signIn } from "../session.ts";

export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!key.trim()) return setError(new Error("Enter the master key or a virtual key."));
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(key.trim()));
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="centered">
      <form class="sign-in card" onSubmit={submit}>
        <h1>tollgate</h1>
        <p>Sign in with the master key, or with your own virtual key to see and manage what it may.</p>
        <label for="sign-in-key">Key</label>
        <input id="sign-in-key" type="password" autocomplete="current-password" placeholder="sk-…" value={key} onInput={(e) => setKey(e.currentTarget.value)} autoFocus />
        {error && <ErrorNotice error={error} />}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <small>The key is kept in an HttpOnly cookie for this browser session, never in page storage.</small>
      </form>
    </main>
  );
}
