/** A team's own page: its settings, its members (add, change, remove) and its models (add, remove). */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { get, post } from "../api.ts";
import { actionsColumn } from "../components/actions.tsx";
import { asError, useAsync } from "../components/async.ts";
import { Badge, SpendBar } from "../components/bits.tsx";
import { AsyncView, Empty, ErrorNotice, useOutcome } from "../components/feedback.tsx";
import { type Body, EntityForm } from "../components/form.tsx";
import { count, dateTime, limits, list, usd } from "../components/format.ts";
import { Confirm, Modal } from "../components/modal.tsx";
import { type Column, Table } from "../components/table.tsx";
import { href, navigate } from "../router.ts";
import { useSession } from "../session.ts";
import { useModelNames } from "./model-names.ts";
import { ADD_MEMBER_FIELDS, MEMBER_FIELDS } from "./team-fields.ts";
import {
  type Budget,
  DeleteTeamConfirm,
  EditTeamDialog,
  label,
  type Member,
  type Membership,
  managesTeam,
  managesTeams,
  setTeamBlocked,
  type TeamInfo,
  type TeamRow,
  TeamState,
} from "./team-parts.tsx";

type DetailDialog =
  | { kind: "edit" | "delete" | "add-member" }
  | { kind: "edit-member" | "remove-member"; member: Member; membership: Membership | undefined }
  | { kind: "remove-model"; model: string }
  | null;

export function TeamDetail({ teamId }: { teamId: string }) {
  const session = useSession();
  const state = useAsync(() => get<TeamInfo>("/team/info", { team_id: teamId }), [teamId]);
  const [dialog, setDialog] = useState<DetailDialog>(null);

  const outcome = useOutcome(() => {
    setDialog(null);
    state.reload();
  });

  return (
    <section aria-labelledby="team-title">
      <a class="back" href={href("teams")}>
        ← Teams
      </a>
      {!state.data && <h1 id="team-title">Team {teamId}</h1>}
      <AsyncView state={state} what="the team">
        {(info) => {
          const team = info.team_info;
          const mayChangeTeam = managesTeams(session);
          const mayManage = managesTeam(session, team);
          const block = (blocked: boolean) =>
            setTeamBlocked(team, blocked).then(outcome.succeeded, (err) => outcome.failed(`${blocked ? "block" : "unblock"} the team`, err));
          return (
            <>
              <div class="page-head">
                <h1 id="team-title">{team.team_alias ?? team.team_id}</h1>
                {mayChangeTeam && (
                  <div class="row-actions">
                    <button type="button" class="secondary" onClick={() => setDialog({ kind: "edit" })}>
                      Edit team
                    </button>
                    <button type="button" class="secondary" onClick={() => block(!team.blocked)}>
                      {team.blocked ? "Unblock team" : "Block team"}
                    </button>
                    <button type="button" class="danger" onClick={() => setDialog({ kind: "delete" })}>
                      Delete team
                    </button>
                  </div>
                )}
              </div>
              <p class="subhead">
                <code>{team.team_id}</code>
                <a href={href("keys", [], { team_id: team.team_id })}>
                  Keys of this team ({count(info.keys.length)})
                </a>
              </p>
              {outcome.notices}
              <TeamFacts team={team} />
              <MembersSection
                info={info}
                mayManage={mayManage}
                onAdd={() => setDialog({ kind: "add-member" })}
                onEdit={(member, membership) => setDialog({ kind: "edit-member", member, membership })}
                onRemove={(member, membership) => setDialog({ kind: "remove-member", member, membership })}
              />
              <ModelsSection team={team} mayManage={mayManage} onAdded={outcome.succeeded} onRemove={(model) => setDialog({ kind: "remove-model", model })} />

              {dialog?.kind === "edit" && <EditTeamDialog team={team} onCancel={() => setDialog(null)} onSaved={outcome.succeeded} />}
              {dialog?.kind === "delete" && (
                <DeleteTeamConfirm team={team} keyCount={info.keys.length} onCancel={() => setDialog(null)} onDeleted={() => navigate(href("teams"))} />
              )}
              {dialog?.kind === "add-member" && <AddMemberDialog team={team} onCancel={() => setDialog(null)} onAdded={outcome.succeeded} />}
              {dialog?.kind === "edit-member" && (
                <EditMemberDialog team={team} member={dialog.member} membership={dialog.membership} onCancel={() => setDialog(null)} onSaved={outcome.succeeded} />
              )}
              {dialog?.kind === "remove-member" && (
                <Confirm
                  title={`Remove ${memberLabel(dialog.member)} from ${label(team)}?`}
                  action="Remove member"
                  danger
                  onCancel={() => setDialog(null)}
                  onDone={async () => {
                    await post("/team/member_delete", { team_id: team.team_id, user_id: dialog.member.user_id });
                    outcome.succeeded(`${memberLabel(dialog.member)} is no longer a member of ${label(team)}.`);
                  }}
                >
                  <p>They lose their role and their budget in this team. The user and their spend stay; you can add them again later.</p>
                </Confirm>
              )}
              {dialog?.kind === "remove-model" && (
                <Confirm
                  title={`Remove ${dialog.model} from ${label(team)}?`}
                  action="Remove model"
                  danger
                  onCancel={() => setDialog(null)}
                  onDone={async () => {
                    await post("/team/model/delete", { team_id: team.team_id, models: [dialog.model] });
                    outcome.succeeded(`${dialog.model} is removed from ${label(team)}.`);
                  }}
                >
                  {team.models.length === 1 ? (
                    <p>
                      It is the team's only model. <strong>With no model listed, the team's keys may call every model.</strong>
                    </p>
                  ) : (
                    <p>The team's keys can no longer call {dialog.model}.</p>
                  )}
                </Confirm>
              )}
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}

/** The team's settings, read-only (Edit team changes them). */
function TeamFacts({ team }: { team: TeamInfo["team_info"] }) {
  const memberBudget = team.team_member_budget_table;
  const aliases = Object.entries(team.model_aliases ?? {});
  return (
    <dl class="facts card" aria-label="Settings">
      <Fact label="State">
        <TeamState team={team} />
      </Fact>
      <Fact label="Spend">
        <SpendBar spend={team.spend} max={team.max_budget} />
      </Fact>
      <Fact label="Soft budget">{usd(team.soft_budget)}</Fact>
      <Fact label="Budget resets">{resets(team.budget_duration, team.budget_reset_at)}</Fact>
      <Fact label="Limits">{limits(team)}</Fact>
      <Fact label="Budget of each member">{memberBudget ? budgetText(memberBudget) : "none"}</Fact>
      <Fact label="Members' keys expire after">{asText(team.team_member_key_duration) ?? "no default"}</Fact>
      <Fact label="Model aliases">{aliases.length > 0 ? aliases.map(([alias, model]) => `${alias} → ${model}`).join(", ") : "none"}</Fact>
      <Fact label="Tags">{list(asStrings(team.tags), "none")}</Fact>
      <Fact label="Guardrails">{list(asStrings(team.guardrails), "none")}</Fact>
      <Fact label="Organization">{team.organization_id ?? "none"}</Fact>
      <Fact label="Created">{dateTime(team.created_at)}</Fact>
    </dl>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function MembersSection({
  info,
  mayManage,
  onAdd,
  onEdit,
  onRemove,
}: {
  info: TeamInfo;
  mayManage: boolean;
  onAdd: () => void;
  onEdit: (member: Member, membership: Membership | undefined) => void;
  onRemove: (member: Member, membership: Membership | undefined) => void;
}) {
  const team = info.team_info;
  const memberships = new Map(info.team_memberships.map((m) => [m.user_id, m]));
  const columns: Column<Member>[] = [
    {
      label: "Member",
      render: (m) => (
        <div class="stack">
          <strong>{m.user_id}</strong>
          {m.user_email && <span class="muted">{m.user_email}</span>}
        </div>
      ),
    },
    { label: "Role", render: (m) => (m.role === "admin" ? <Badge tone="ok">admin</Badge> : <Badge tone="muted">{m.role}</Badge>) },
    { label: "Spend in team", render: (m) => <MemberSpend membership={memberships.get(m.user_id)} teamDefault={team.team_member_budget_id} /> },
    { label: "Limits in team", render: (m) => limits(memberships.get(m.user_id)?.litellm_budget_table ?? {}) },
    actionsColumn<Member>({
      mayChange: mayManage,
      name: memberLabel,
      actions: (m) => [
        { label: "Change", onClick: () => onEdit(m, memberships.get(m.user_id)) },
        { label: "Remove", danger: true, onClick: () => onRemove(m, memberships.get(m.user_id)) },
      ],
    }),
  ];
  return (
    <section aria-labelledby="members-title">
      <div class="section-head">
        <h2 id="members-title">Members</h2>
        {mayManage && (
          <button type="button" onClick={onAdd}>
            Add member
          </button>
        )}
      </div>
      {team.members_with_roles.length === 0 ? (
        <Empty title="No members yet.">{mayManage && <p>Add people by user ID or email: members may create keys for the team, and its admins manage it.</p>}</Empty>
      ) : (
        <Table caption="Members" columns={columns} rows={team.members_with_roles} rowKey={(m) => m.user_id} />
      )}
    </section>
  );
}

function MemberSpend({ membership, teamDefault }: { membership: Membership | undefined; teamDefault: string | null }) {
  if (!membership) return <span class="muted">—</span>;
  const shared = membership.budget_id !== null && membership.budget_id === teamDefault;
  return (
    <div class="stack">
      <SpendBar spend={membership.spend} max={membership.litellm_budget_table?.max_budget} />
      {shared && <small class="muted">team default budget</small>}
    </div>
  );
}

function ModelsSection({ team, mayManage, onAdded, onRemove }: { team: TeamRow; mayManage: boolean; onAdded: (message: string) => void; onRemove: (model: string) => void }) {
  return (
    <section aria-labelledby="models-title">
      <div class="section-head">
        <h2 id="models-title">Models</h2>
      </div>
      {team.models.length === 0 ? (
        <p>No model is listed, so the team's keys may call every model.</p>
      ) : (
        <ul class="chips" aria-label="Team models">
          {team.models.map((model) => (
            <li key={model} class="chip">
              <span>{model}</span>
              {mayManage && (
                <button type="button" class="link" onClick={() => onRemove(model)} aria-label={`Remove ${model} from the team`}>
                  ✕
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayManage && <AddModelForm team={team} onAdded={onAdded} />}
    </section>
  );
}

function AddModelForm({ team, onAdded }: { team: TeamRow; onAdded: (message: string) => void }) {
  const names = useModelNames();
  const [text, setText] = useState("");
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const models = text
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
    if (models.length === 0) return setError(new Error("Enter a model name, or several separated by commas."));
    setBusy(true);
    setError(undefined);
    try {
      await post("/team/model/add", { team_id: team.team_id, models });
      setText("");
      onAdded(`${models.join(", ")} ${models.length === 1 ? "is" : "are"} added to ${label(team)}.`);
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  };

  const choices = (names ?? []).filter((n) => !team.models.includes(n));
  return (
    <form class="inline-form" onSubmit={submit}>
      <label>
        <span>Add models</span>
        <input type="text" list="team-model-choices" placeholder="gpt-4o, claude-3-5-sonnet" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <datalist id="team-model-choices">
        {choices.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <button type="submit" disabled={busy}>
        {busy ? "Adding…" : "Add"}
      </button>
      {team.models.length === 0 && <small class="muted">Adding one limits the team's keys to the models listed.</small>}
      {error && <ErrorNotice error={error} />}
    </form>
  );
}

function AddMemberDialog({ team, onCancel, onAdded }: { team: TeamRow; onCancel: () => void; onAdded: (message: string) => void }) {
  return (
    <Modal title={`Add a member to ${label(team)}`} onClose={onCancel}>
      <EntityForm
        fields={ADD_MEMBER_FIELDS}
        // Starting as "user" makes the form an edit of these values: only what is typed is sent, so the role is added back below.
        initial={{ role: "user" }}
        submitLabel="Add member"
        onCancel={onCancel}
        onSubmit={async (body) => {
          const { max_budget_in_team, ...member }: Body = { role: "user", ...body };
          if (!member.user_id && !member.user_email) throw new Error("Give the member's user ID or email.");
          await post("/team/member_add", { team_id: team.team_id, member, max_budget_in_team });
          onAdded(`${member.user_id ?? member.user_email} is added to ${label(team)}.`);
        }}
      />
    </Modal>
  );
}

function EditMemberDialog({
  team,
  member,
  membership,
  onCancel,
  onSaved,
}: {
  team: TeamRow;
  member: Member;
  membership: Membership | undefined;
  onCancel: () => void;
  onSaved: (message: string) => void;
}) {
  const budget = membership?.litellm_budget_table;
  const shared = membership?.budget_id != null && membership.budget_id === team.team_member_budget_id;
  return (
    <Modal title={`Change ${memberLabel(member)} in ${label(team)}`} onClose={onCancel}>
      {shared && <p>This member has the team's default member budget. A budget or limit set here gives them one of their own; the default stays as it is.</p>}
      <EntityForm
        fields={MEMBER_FIELDS}
        initial={{ role: member.role, max_budget_in_team: budget?.max_budget ?? null, rpm_limit: budget?.rpm_limit ?? null, tpm_limit: budget?.tpm_limit ?? null }}
        submitLabel="Save changes"
        onCancel={onCancel}
        onSubmit={async (body) => {
          await post("/team/member_update", { ...body, team_id: team.team_id, user_id: member.user_id });
          onSaved(`${memberLabel(member)} is saved.`);
        }}
      />
    </Modal>
  );
}

const memberLabel = (member: Member) => member.user_email ?? member.user_id;

function resets(duration: string | null, at: string | null): string {
  if (!duration) return "never";
  return at ? `every ${duration}, next ${dateTime(at)}` : `every ${duration}`;
}

function budgetText(budget: Budget): string {
  const amount = budget.max_budget === null ? "no amount" : usd(budget.max_budget);
  const window = budget.budget_duration ? ` every ${budget.budget_duration}` : "";
  const rates = limits(budget);
  return `${amount}${window}${rates === "none" ? "" : ` · ${rates}`}`;
}

const asText = (value: unknown) => (typeof value === "string" && value ? value : null);
const asStrings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : null);
