/** Loading, failure and empty states: every page says which one it is in, in words. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiFailure } from "../api.ts";
import { asError } from "./async.ts";

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {what}…
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: Error | string; onRetry?: () => void }) {
  return (
    <div class="notice error" role="alert">
      <p>{typeof error === "string" ? error : error.message}</p>
      {onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function SuccessNotice({ children, onDismiss }: { children: ComponentChildren; onDismiss?: () => void }) {
  return (
    <div class="notice success" role="status">
      <div>{children}</div>
      {onDismiss && (
        <button type="button" class="link" onClick={onDismiss} aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}

/**
 * Loading on the first load; the error with a retry (none for a 403: asking again will
 * not change the answer); otherwise the content (stale data stays visible while reloading).
 */
export function AsyncView<T>({ state, what, children }: { state: { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void }; what: string; children: (data: T) => ComponentChildren }) {
  const retry = state.error instanceof ApiFailure && state.error.status === 403 ? undefined : state.reload;
  if (state.error && state.data === undefined) return <ErrorNotice error={state.error} onRetry={retry} />;
  if (state.data === undefined) return <Loading what={`Loading ${what}`} />;
  return (
    <>
      {state.error && <ErrorNotice error={state.error} onRetry={retry} />}
      {children(state.data)}
    </>
  );
}

/**
 * What the last action on a page came to: a success message (dismissable) or a failure,
 * shown above the page's content until the next action. `afterSuccess` runs after every
 * success (close the dialog, reload the data).
 */
export function useOutcome(afterSuccess: () => void) {
  const [done, setDone] = useState<string>();
  const [problem, setProblem] = useState<Error>();
  return {
    succeeded(message: string): void {
      setProblem(undefined);
      setDone(message);
      afterSuccess();
    },
    /** `what` completes "Could not …" ("block ci-key"). */
    failed(what: string, error: unknown): void {
      setDone(undefined);
      setProblem(new Error(`Could not ${what}: ${asError(error).message}`));
    },
    notices: (
      <>
        {done && <SuccessNotice onDismiss={() => setDone(undefined)}>{done}</SuccessNotice>}
        {problem && <ErrorNotice error={problem} />}
      </>
    ),
  };
}
