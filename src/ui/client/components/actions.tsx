/** The buttons that act on one row of a list, and a page's heading with its main action. */
import type { ComponentChildren } from "preact";
import type { Column } from "./table.tsx";

export interface RowAction {
  label: string;
  onClick: () => void;
  /** Irreversible (delete, remove): drawn as a warning. */
  danger?: boolean;
}

/**
 * A row's buttons. Each one's accessible name adds the row's name ("Delete “ci-key”"),
 * so a screen reader, or a test, can tell the Delete of one row from the next.
 * `false` entries are left out (actions the caller may not take).
 */
export function RowActions({ name, actions }: { name: string; actions: (RowAction | false)[] }) {
  return (
    <div class="row-actions">
      {actions
        .filter((a): a is RowAction => a !== false)
        .map((a) => (
          <button key={a.label} type="button" class={a.danger ? "danger" : "secondary"} onClick={a.onClick} aria-label={`${a.label} ${name}`}>
            {a.label}
          </button>
        ))}
    </div>
  );
}

/** What stands in a row's actions cell for someone who may only look. */
export const ReadOnly = () => <span class="muted">read-only</span>;

/**
 * A table's "Actions" column: each row's buttons for someone who may change the rows,
 * else `readOnly(row)` ("read-only" unless the page says otherwise).
 */
export function actionsColumn<T>(options: {
  mayChange: boolean;
  name: (row: T) => string;
  actions: (row: T) => (RowAction | false)[];
  readOnly?: (row: T) => ComponentChildren;
}): Column<T> {
  const { mayChange, name, actions, readOnly = () => <ReadOnly /> } = options;
  return { label: "Actions", render: (row) => (mayChange ? <RowActions name={name(row)} actions={actions(row)} /> : readOnly(row)) };
}

/** A page's h1, with its main action (Create …) beside it when the caller may take it. */
export function PageHead({ id, title, action }: { id: string; title: string; action?: { label: string; onClick: () => void } | false }) {
  return (
    <div class="page-head">
      <h1 id={id}>{title}</h1>
      {action && (
        <button type="button" onClick={action.onClick}>
          {action.label}
        </button>
      )}
    </div>
  );
}
