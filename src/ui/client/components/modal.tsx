/** Dialogs: the native <dialog>, so focus is trapped and Escape closes it. */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { asError } from "./async.ts";
import { ErrorNotice } from "./feedback.tsx";

export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const gone = useRef(false);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      // close() fires a "close" event after this dialog is gone; passing it on to onClose
      // would dismiss whatever replaced it (the key shown once after "Create key").
      gone.current = true;
      element?.close();
    };
  }, []);
  const close = () => {
    if (!gone.current) onClose();
  };
  return (
    <dialog ref={dialog} class={wide ? "wide" : undefined} aria-label={title} onClose={close} onCancel={close}>
      <header class="dialog-header">
        <h2>{title}</h2>
        <button type="button" class="link close" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}

/** Asks before something that cannot be undone; shows the API's refusal if it fails. */
export function Confirm({ title, children, action, danger, onDone, onCancel }: { title: string; children: ComponentChildren; action: string; danger?: boolean; onDone: () => Promise<unknown>; onCancel: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onDone();
    } catch (err) {
      setError(asError(err));
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onCancel}>
      <div class="confirm-text">{children}</div>
      {error && <ErrorNotice error={error} />}
      <div class="actions">
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class={danger ? "danger" : undefined} disabled={busy} onClick={confirm}>
          {busy ? "Working…" : action}
        </button>
      </div>
    </Modal>
  );
}
