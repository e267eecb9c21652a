/** Users: list, search by email, filter by role, create (the first key shown once), edit, delete. */
import { useState } from "preact/hooks";
import { get, post } from "../api.ts";
import { actionsColumn, PageHead } from "../components/actions.tsx";
import { useAsync } from "../components/async.ts";
import { NameCell, SpendBar } from "../components/bits.tsx";
import { AsyncView, Empty, useOutcome } from "../components/feedback.tsx";
import { type Body, EntityForm } from "../components/form.tsx";
import { count, limits, list } from "../components/format.ts";
import { Confirm, Modal } from "../components/modal.tsx";
import { type Column, Pager, SearchBox, Table } from "../components/table.tsx";
import { href, navigate, type Route } from "../router.ts";
import { canChange, seesEverything, useSession } from "../session.ts";
import { NewKeyDialog } from "./keys.tsx";
import { NEW_USER_FIELDS, USER_FIELDS, USER_ROLES } from "./user-fields.ts";

export interface UserRow {
  user_id: string;
  user_email: string | null;
  user_alias: string | null;
  user_role: string;
  models: string[];
  spend: number;
  max_budget: number | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  /** Given by /user/list (LiteLLM's `key_count`). */
  key_count?: number;
  [field: string]: unknown;
}

interface UserList {
  users: UserRow[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
}

type Dialog = { kind: "create" } | { kind: "edit" | "delete"; user: UserRow } | { kind: "created"; key: string; name: string } | null;

const PAGE_SIZE = 25;

export function UsersPage({ route }: { route: Route }) {
  const session = useSession();
  const page = Math.max(1, Number(route.params.get("page")) || 1);
  const search = route.params.get("search") ?? "";
  const role = route.params.get("role") ?? "";
  const state = useAsync(() => get<UserList>("/user/list", { page, page_size: PAGE_SIZE, user_email: search, role }), [page, search, role]);
  const [dialog, setDialog] = useState<Dialog>(null);
  // Only proxy admins may create, change or delete users.
  const mayChange = canChange(session) && seesEverything(session);

  const go = (next: { page?: number; search?: string; role?: string }) => navigate(href("users", [], { page: next.page, search: next.search ?? search, role: next.role ?? role }));
  const outcome = useOutcome(() => {
    setDialog(null);
    state.reload();
  });

  const columns: Column<UserRow>[] = [
    { label: "User", render: (u) => <NameCell alias={u.user_alias} id={u.user_id} /> },
    { label: "Email", render: (u) => u.user_email ?? <span class="muted">—</span> },
    { label: "Role", render: (u) => u.user_role },
    {
      label: "Keys",
      render: (u) => (
        <a href={href("keys", [], { user_id: u.user_id })} aria-label={`Keys of ${label(u)}`}>
          {u.key_count === undefined ? "Keys" : `${count(u.key_count)} ${u.key_count === 1 ? "key" : "keys"}`}
        </a>
      ),
    },
    {
      label: "Teams",
      render: (u) => (
        <a href={href("teams", [], { user_id: u.user_id })} aria-label={`Teams of ${label(u)}`}>
          Teams
        </a>
      ),
    },
    { label: "Models", render: (u) => list(u.models, "all models") },
    { label: "Spend", render: (u) => <SpendBar spend={u.spend} max={u.max_budget} /> },
    { label: "Limits", render: (u) => limits(u) },
    actionsColumn<UserRow>({
      mayChange,
      name: label,
      actions: (u) => [
        { label: "Edit", onClick: () => setDialog({ kind: "edit", user: u }) },
        { label: "Delete", danger: true, onClick: () => setDialog({ kind: "delete", user: u }) },
      ],
    }),
  ];

  return (
    <section aria-labelledby="users-title">
      <PageHead id="users-title" title="Users" action={mayChange && { label: "Create user", onClick: () => setDialog({ kind: "create" }) }} />
      <div class="toolbar">
        <SearchBox label="Search by email" value={search} onSearch={(text) => go({ page: 1, search: text })} />
        <RoleFilter value={role} onChange={(next) => go({ page: 1, role: next })} />
      </div>
      {outcome.notices}
      <AsyncView state={state} what="users">
        {(data) =>
          data.users.length === 0 ? (
            <Empty title={emptyTitle(search, role)}>{!search && !role && mayChange && <p>Create one to give a person a budget of their own, personal keys and team memberships.</p>}</Empty>
          ) : (
            <>
              <Table caption="Users" columns={columns} rows={data.users} rowKey={(u) => u.user_id} />
              <Pager page={data.page} pages={data.total_pages} total={data.total} onPage={(p) => go({ page: p })} />
            </>
          )
        }
      </AsyncView>

      {dialog?.kind === "create" && (
        <Modal title="Create user" wide onClose={() => setDialog(null)}>
          <EntityForm
            fields={NEW_USER_FIELDS}
            submitLabel="Create user"
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              const created = await post<UserRow & { key: string }>("/user/new", newUserBody(body));
              if (!created.key) return outcome.succeeded(`${label(created)} is created.`);
              setDialog({ kind: "created", key: created.key, name: label(created) });
              state.reload();
            }}
          />
        </Modal>
      )}
      {dialog?.kind === "created" && <NewKeyDialog title={`${dialog.name} is created, with a key`} secret={dialog.key} onClose={() => setDialog(null)} />}
      {dialog?.kind === "edit" && (
        <Modal title={`Edit ${label(dialog.user)}`} wide onClose={() => setDialog(null)}>
          <EntityForm
            fields={USER_FIELDS}
            initial={dialog.user}
            submitLabel="Save changes"
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              const saved = await post<{ data: UserRow }>("/user/update", { ...body, user_id: dialog.user.user_id });
              outcome.succeeded(`${label(saved.data)} is saved.`);
            }}
          />
        </Modal>
      )}
      {dialog?.kind === "delete" && (
        <Confirm
          title={`Delete ${label(dialog.user)}?`}
          action="Delete user"
          danger
          onCancel={() => setDialog(null)}
          onDone={async () => {
            await post("/user/delete", { user_ids: [dialog.user.user_id] });
            outcome.succeeded(`${label(dialog.user)} is deleted.`);
          }}
        >
          <p>
            Their keys are deleted with them{dialog.user.key_count ? ` (${count(dialog.user.key_count)})` : ""}, and they leave every team. Their spend stays in the spend logs. This cannot be undone.
          </p>
        </Confirm>
      )}
    </section>
  );
}

function RoleFilter({ value, onChange }: { value: string; onChange: (role: string) => void }) {
  return (
    <label class="select-filter">
      <span>Role</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">any</option>
        {USER_ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </label>
  );
}

function emptyTitle(search: string, role: string): string {
  if (search && role) return `No ${role} user's email contains “${search}”.`;
  if (search) return `No user's email contains “${search}”.`;
  if (role) return `No users have the role ${role}.`;
  return "No users yet.";
}

const label = (user: { user_id: string; user_alias?: string | null; user_email?: string | null }) =>
  user.user_alias ? `“${user.user_alias}”` : (user.user_email ?? user.user_id);

/** "Create no key" is the form's way of saying auto_create_key: false. */
function newUserBody({ skip_key, ...body }: Body): Body {
  return skip_key ? { ...body, auto_create_key: false } : body;
}
