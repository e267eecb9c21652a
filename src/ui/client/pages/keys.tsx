/** Keys: list, search, create (the new key shown once), edit, block, regenerate, delete. */
import { useState } from "preact/hooks";
import { get, post } from "../api.ts";
import { actionsColumn, PageHead } from "../components/actions.tsx";
import { useAsync } from "../components/async.ts";
import { Badge, CopyButton, NameCell, SpendBar } from "../components/bits.tsx";
import { AsyncView, Empty, useOutcome } from "../components/feedback.tsx";
import { type Body, EntityForm } from "../components/form.tsx";
import { dateTime, isPast, limits, list } from "../components/format.ts";
import { Confirm, Modal } from "../components/modal.tsx";
import { type Column, Pager, SearchBox, Table } from "../components/table.tsx";
import { href, navigate, type Route } from "../router.ts";
import { canChange, seesEverything, useSession } from "../session.ts";
import { CUSTOM_KEY_FIELD, KEY_FIELDS, withOtherFields } from "./key-fields.ts";

export interface KeyRow {
  token: string;
  key_alias: string | null;
  key_name: string | null;
  user_id: string | null;
  team_id: string | null;
  models: string[];
  spend: number;
  max_budget: number | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  expires: string | null;
  blocked: boolean | null;
  [field: string]: unknown;
}

interface KeyList {
  keys: KeyRow[];
  total_count: number;
  current_page: number;
  total_pages: number;
}

type Dialog = { kind: "create" } | { kind: "edit" | "delete" | "regenerate"; key: KeyRow } | { kind: "created"; key: string; alias: string | null } | null;

const PAGE_SIZE = 25;

export function KeysPage({ route }: { route: Route }) {
  const session = useSession();
  const page = Math.max(1, Number(route.params.get("page")) || 1);
  const search = route.params.get("search") ?? "";
  const teamId = route.params.get("team_id") ?? "";
  const userId = route.params.get("user_id") ?? "";
  const state = useAsync(
    () => get<KeyList>("/key/list", { page, size: PAGE_SIZE, search, team_id: teamId, user_id: userId, return_full_object: true, include_team_keys: true }),
    [page, search, teamId, userId],
  );
  const [dialog, setDialog] = useState<Dialog>(null);
  const mayChange = canChange(session);

  const go = (next: { page?: number; search?: string }) => navigate(href("keys", [], { page: next.page, search: next.search ?? search, team_id: teamId, user_id: userId }));
  const outcome = useOutcome(() => {
    setDialog(null);
    state.reload();
  });
  const toggleBlocked = async (key: KeyRow) => {
    const blocked = !key.blocked;
    try {
      await post(blocked ? "/key/block" : "/key/unblock", { key: key.token });
      outcome.succeeded(`${label(key)} is ${blocked ? "blocked" : "unblocked"}.`);
    } catch (err) {
      outcome.failed(`${blocked ? "block" : "unblock"} ${label(key)}`, err);
    }
  };

  const columns: Column<KeyRow>[] = [
    { label: "Key", render: (k) => <NameCell alias={k.key_alias} id={k.key_name} /> },
    { label: "Owner", render: (k) => k.user_id ?? <span class="muted">—</span> },
    { label: "Team", render: (k) => (k.team_id ? <a href={href("teams", [k.team_id])}>{k.team_id}</a> : <span class="muted">—</span>) },
    { label: "Models", render: (k) => list(k.models, "all models") },
    { label: "Spend", render: (k) => <SpendBar spend={k.spend} max={k.max_budget} /> },
    { label: "Limits", render: (k) => limits(k) },
    { label: "Expires", render: (k) => (k.expires ? <span class={isPast(k.expires) ? "danger-text" : undefined}>{dateTime(k.expires)}</span> : "never") },
    {
      label: "State",
      render: (k) => (k.blocked ? <Badge tone="danger">blocked</Badge> : isPast(k.expires) ? <Badge tone="warn">expired</Badge> : <Badge tone="ok">active</Badge>),
    },
    actionsColumn<KeyRow>({
      mayChange,
      name: label,
      actions: (k) => [
        { label: "Edit", onClick: () => setDialog({ kind: "edit", key: k }) },
        seesEverything(session) && { label: k.blocked ? "Unblock" : "Block", onClick: () => toggleBlocked(k) },
        { label: "Regenerate", onClick: () => setDialog({ kind: "regenerate", key: k }) },
        { label: "Delete", danger: true, onClick: () => setDialog({ kind: "delete", key: k }) },
      ],
    }),
  ];

  return (
    <section aria-labelledby="keys-title">
      <PageHead id="keys-title" title="Keys" action={mayChange && { label: "Create key", onClick: () => setDialog({ kind: "create" }) }} />
      <div class="toolbar">
        <SearchBox label="Search by alias" value={search} onSearch={(text) => go({ page: 1, search: text })} />
        {teamId && (
          <span class="filter">
            Team {teamId} <a href={href("keys", [], { search, user_id: userId })}>show all</a>
          </span>
        )}
        {userId && (
          <span class="filter">
            User {userId} <a href={href("keys", [], { search, team_id: teamId })}>show all</a>
          </span>
        )}
      </div>
      {outcome.notices}
      <AsyncView state={state} what="keys">
        {(data) =>
          data.keys.length === 0 ? (
            <Empty title={search ? `No key's alias contains “${search}”.` : "No keys yet."}>{!search && mayChange && <p>Create one to give a person or a service access to the models.</p>}</Empty>
          ) : (
            <>
              <Table caption="Keys" columns={columns} rows={data.keys} rowKey={(k) => k.token} />
              <Pager page={data.current_page} pages={data.total_pages} total={data.total_count} onPage={(p) => go({ page: p })} />
            </>
          )
        }
      </AsyncView>

      {dialog?.kind === "create" && (
        <Modal title="Create key" wide onClose={() => setDialog(null)}>
          <EntityForm
            fields={[...KEY_FIELDS, CUSTOM_KEY_FIELD]}
            submitLabel="Create key"
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              const created = await post<{ key: string; key_alias: string | null }>("/key/generate", withOwner(withTeam(withOtherFields(body), teamId), userId));
              setDialog({ kind: "created", key: created.key, alias: created.key_alias });
              state.reload();
            }}
          />
        </Modal>
      )}
      {dialog?.kind === "created" && <NewKeyDialog title={dialog.alias ? `Key “${dialog.alias}” created` : "Key created"} secret={dialog.key} onClose={() => setDialog(null)} />}
      {dialog?.kind === "edit" && (
        <Modal title={`Edit ${label(dialog.key)}`} wide onClose={() => setDialog(null)}>
          <EntityForm
            fields={KEY_FIELDS}
            initial={dialog.key}
            submitLabel="Save changes"
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              await post("/key/update", { ...withOtherFields(body), key: dialog.key.token });
              outcome.succeeded(`${label(dialog.key)} is saved.`);
            }}
          />
        </Modal>
      )}
      {dialog?.kind === "regenerate" && (
        <RegenerateDialog
          keyRow={dialog.key}
          onCancel={() => setDialog(null)}
          onDone={(secret) => {
            setDialog({ kind: "created", key: secret, alias: dialog.key.key_alias });
            state.reload(); // the key's token (the hash of its secret) changed: the rows must not act on the old one
          }}
        />
      )}
      {dialog?.kind === "delete" && (
        <Confirm
          title={`Delete ${label(dialog.key)}?`}
          action="Delete key"
          danger
          onCancel={() => setDialog(null)}
          onDone={async () => {
            await post("/key/delete", { keys: [dialog.key.token] });
            outcome.succeeded(`${label(dialog.key)} is deleted.`);
          }}
        >
          <p>Calls made with this key will fail from now on. Its spend stays in the spend logs. This cannot be undone.</p>
        </Confirm>
      )}
    </section>
  );
}

const label = (key: KeyRow) => (key.key_alias ? `“${key.key_alias}”` : (key.key_name ?? "the key"));

/** Keys created from a team's page belong to that team unless the form says otherwise. */
const withTeam = (body: Body, teamId: string): Body => (teamId && body.team_id === undefined ? { ...body, team_id: teamId } : body);
/** Likewise, keys created from a user's page belong to that user. */
const withOwner = (body: Body, userId: string): Body => (userId && body.user_id === undefined ? { ...body, user_id: userId } : body);

/** The one time a key is shown: tollgate keeps only its hash. */
export function NewKeyDialog({ title, secret, onClose }: { title: string; secret: string; onClose: () => void }) {
  return (
    <Modal title={title} onClose={onClose}>
      <p>Copy this key now. tollgate stores only its hash, so it cannot show it again.</p>
      <div class="secret">
        <input data-copy-source readOnly value={secret} aria-label="The new key" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={secret} />
      </div>
      <div class="actions">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}

function RegenerateDialog({ keyRow, onCancel, onDone }: { keyRow: KeyRow; onCancel: () => void; onDone: (secret: string) => void }) {
  return (
    <Modal title={`Regenerate ${label(keyRow)}`} onClose={onCancel}>
      <p>A new secret replaces the old one, keeping the key's settings and spend. The old secret stops working at once unless you give a grace period.</p>
      <EntityForm
        fields={[{ name: "grace_period", label: "Grace period", kind: "text", placeholder: "24h", help: "How long the old secret keeps working, e.g. 1h or 24h." }]}
        submitLabel="Regenerate"
        onCancel={onCancel}
        onSubmit={async (body) => {
          const result = await post<{ key: string }>(`/key/${encodeURIComponent(keyRow.token)}/regenerate`, body);
          onDone(result.key);
        }}
      />
    </Modal>
  );
}
