/** Teams: the list (create, edit, block, delete); a team's own page is team-detail.tsx. */
import { useState } from "preact/hooks";
import { get, post } from "../api.ts";
import { actionsColumn, PageHead } from "../components/actions.tsx";
import { useAsync } from "../components/async.ts";
import { SpendBar } from "../components/bits.tsx";
import { AsyncView, Empty, useOutcome } from "../components/feedback.tsx";
import { type Body, EntityForm } from "../components/form.tsx";
import { count, limits, list } from "../components/format.ts";
import { Modal } from "../components/modal.tsx";
import { type Column, Pager, Table } from "../components/table.tsx";
import { href, navigate, type Route } from "../router.ts";
import { type Session, seesEverything, useSession } from "../session.ts";
import { TeamDetail } from "./team-detail.tsx";
import { NEW_TEAM_FIELDS } from "./team-fields.ts";
import { DeleteTeamConfirm, EditTeamDialog, label, managesTeams, setTeamBlocked, TeamState, type TeamRow } from "./team-parts.tsx";

interface ListedTeam extends TeamRow {
  keys: unknown[];
}

interface TeamPage {
  teams: ListedTeam[];
  total: number;
  page: number;
  total_pages: number;
}

const PAGE_SIZE = 25;

export function TeamsPage({ route }: { route: Route }) {
  const teamId = route.rest[0];
  return teamId ? <TeamDetail key={teamId} teamId={teamId} /> : <TeamList route={route} />;
}

type ListDialog = { kind: "create" } | { kind: "edit" | "delete"; team: ListedTeam } | null;

function TeamList({ route }: { route: Route }) {
  const session = useSession();
  const page = Math.max(1, Number(route.params.get("page")) || 1);
  // Only admins and admin viewers may list every team; anyone else lists their own user's teams.
  const everyTeam = seesEverything(session);
  const userId = everyTeam ? (route.params.get("user_id") ?? "") : (session.user_id ?? "");
  const state = useAsync(
    () => (everyTeam || userId ? get<TeamPage>("/v2/team/list", { page, page_size: PAGE_SIZE, user_id: userId }) : Promise.resolve(null)),
    [page, userId],
  );
  const [dialog, setDialog] = useState<ListDialog>(null);
  const mayChange = managesTeams(session);

  const go = (next: { page?: number }) => navigate(href("teams", [], { page: next.page, user_id: everyTeam ? userId : undefined }));
  const outcome = useOutcome(() => {
    setDialog(null);
    state.reload();
  });
  const block = (team: TeamRow, blocked: boolean) =>
    setTeamBlocked(team, blocked).then(outcome.succeeded, (err) => outcome.failed(`${blocked ? "block" : "unblock"} ${label(team)}`, err));

  const columns: Column<ListedTeam>[] = [
    {
      label: "Team",
      render: (t) => (
        <div class="stack">
          <a href={href("teams", [t.team_id])}>
            <strong>{t.team_alias ?? "no alias"}</strong>
          </a>
          <code class="muted">{t.team_id}</code>
        </div>
      ),
    },
    { label: "Members", render: (t) => memberCount(t.members_with_roles.length) },
    {
      label: "Keys",
      render: (t) => (
        <a href={href("keys", [], { team_id: t.team_id })} aria-label={`Keys of ${label(t)}`}>
          {count(t.keys.length)} {t.keys.length === 1 ? "key" : "keys"}
        </a>
      ),
    },
    { label: "Models", render: (t) => list(t.models, "all models") },
    { label: "Spend", render: (t) => <SpendBar spend={t.spend} max={t.max_budget} /> },
    { label: "Limits", render: (t) => limits(t) },
    { label: "State", render: (t) => <TeamState team={t} /> },
    actionsColumn<ListedTeam>({
      mayChange,
      name: label,
      actions: (t) => [
        { label: "Edit", onClick: () => setDialog({ kind: "edit", team: t }) },
        { label: t.blocked ? "Unblock" : "Block", onClick: () => block(t, !t.blocked) },
        { label: "Delete", danger: true, onClick: () => setDialog({ kind: "delete", team: t }) },
      ],
      readOnly: (t) => (
        <a href={href("teams", [t.team_id])} aria-label={`Open ${label(t)}`}>
          Open
        </a>
      ),
    }),
  ];

  return (
    <section aria-labelledby="teams-title">
      <PageHead id="teams-title" title="Teams" action={mayChange && { label: "Create team", onClick: () => setDialog({ kind: "create" }) }} />
      {everyTeam && userId && (
        <div class="toolbar">
          <span class="filter">
            Teams of user {userId} <a href={href("teams")}>show all</a>
          </span>
        </div>
      )}
      {outcome.notices}
      <AsyncView state={state} what="teams">
        {(data) =>
          data === null ? (
            <NoUserNotice session={session} />
          ) : data.teams.length === 0 ? (
            <EmptyTeams everyTeam={everyTeam} userId={userId} mayChange={mayChange} />
          ) : (
            <>
              <Table caption="Teams" columns={columns} rows={data.teams} rowKey={(t) => t.team_id} />
              <Pager page={data.page} pages={data.total_pages} total={data.total} onPage={(p) => go({ page: p })} />
            </>
          )
        }
      </AsyncView>

      {dialog?.kind === "create" && (
        <Modal title="Create team" wide onClose={() => setDialog(null)}>
          <EntityForm
            fields={NEW_TEAM_FIELDS}
            submitLabel="Create team"
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              const created = await post<TeamRow>("/team/new", newTeamBody(body));
              outcome.succeeded(`${label(created)} is created.`);
            }}
          />
        </Modal>
      )}
      {dialog?.kind === "edit" && <EditTeamDialog team={dialog.team} onCancel={() => setDialog(null)} onSaved={outcome.succeeded} />}
      {dialog?.kind === "delete" && <DeleteTeamConfirm team={dialog.team} keyCount={dialog.team.keys.length} onCancel={() => setDialog(null)} onDeleted={outcome.succeeded} />}
    </section>
  );
}

function EmptyTeams({ everyTeam, userId, mayChange }: { everyTeam: boolean; userId: string; mayChange: boolean }) {
  if (everyTeam && userId) return <Empty title={`User ${userId} is in no team.`}>{mayChange && <p>Add them from a team's page, under Members.</p>}</Empty>;
  if (!everyTeam)
    return (
      <Empty title="You are in no team yet.">
        <p>A proxy admin, or an admin of a team, can add you to one.</p>
      </Empty>
    );
  return <Empty title="No teams yet.">{mayChange && <p>Create one to give a group of people shared models, a shared budget and rate limits for their keys.</p>}</Empty>;
}

/** A key with no user can list no teams (the API wants the caller's own user_id); its own team it may still open. */
function NoUserNotice({ session }: { session: Session }) {
  return (
    <Empty title="This key belongs to no user, so it has no teams to list.">
      {session.team_id && (
        <p>
          It belongs to team <a href={href("teams", [session.team_id])}>{session.team_id}</a>.
        </p>
      )}
    </Empty>
  );
}

/** The form's admins and members lists become members_with_roles. */
function newTeamBody({ admins, members, ...body }: Body): Body {
  const ids = (value: unknown) => (Array.isArray(value) ? (value as string[]) : []);
  const roles = [...ids(admins).map((user_id) => ({ role: "admin", user_id })), ...ids(members).map((user_id) => ({ role: "user", user_id }))];
  return roles.length > 0 ? { ...body, members_with_roles: roles } : body;
}

const memberCount = (n: number) => (n === 0 ? "none" : `${count(n)} ${n === 1 ? "member" : "members"}`);
