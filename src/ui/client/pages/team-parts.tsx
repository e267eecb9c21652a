/** What the team list and a team's own page share: the shapes /team/* answers, who may manage what, and the edit and delete dialogs. */
import { get, post } from "../api.ts";
import { useAsync } from "../components/async.ts";
import { Badge } from "../components/bits.tsx";
import { AsyncView } from "../components/feedback.tsx";
import { type Body, EntityForm } from "../components/form.tsx";
import { count } from "../components/format.ts";
import { Confirm, Modal } from "../components/modal.tsx";
import { canChange, type Session, seesEverything } from "../session.ts";
import { TEAM_FIELDS, TEAM_METADATA_FIELDS } from "./team-fields.ts";

export interface Member {
  user_id: string;
  user_email: string | null;
  role: string;
}

export interface Budget {
  budget_id: string;
  max_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
}

/** A member's spend and budget inside the team (LiteLLM_TeamMembership). */
export interface Membership {
  user_id: string;
  budget_id: string | null;
  spend: number;
  litellm_budget_table: Budget | null;
}

export interface TeamRow {
  team_id: string;
  team_alias: string | null;
  organization_id: string | null;
  models: string[];
  spend: number;
  max_budget: number | null;
  soft_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  blocked: boolean;
  model_aliases: Record<string, string>;
  metadata: Record<string, unknown>;
  members_with_roles: Member[];
  team_member_budget_id: string | null;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

export interface TeamInfo {
  team_id: string;
  team_info: TeamRow & { team_member_budget_table: Budget | null };
  keys: unknown[];
  team_memberships: Membership[];
}

/** Proxy admins create, edit, block and delete teams. */
export const managesTeams = (session: Session) => canChange(session) && seesEverything(session);

/** Proxy admins, and writers who are an admin of this team, manage its members and models. */
export const managesTeam = (session: Session, team: TeamRow) =>
  managesTeams(session) || (canChange(session) && team.members_with_roles.some((m) => m.user_id === session.user_id && m.role === "admin"));

/** Loads the team's full settings first: the member defaults live in a budget row only /team/info returns. */
export function EditTeamDialog({ team, onCancel, onSaved }: { team: TeamRow; onCancel: () => void; onSaved: (message: string) => void }) {
  const state = useAsync(() => get<TeamInfo>("/team/info", { team_id: team.team_id }), [team.team_id]);
  return (
    <Modal title={`Edit ${label(team)}`} wide onClose={onCancel}>
      <AsyncView state={state} what="the team's settings">
        {(info) => (
          <EntityForm
            fields={TEAM_FIELDS}
            initial={teamFormValues(info.team_info)}
            submitLabel="Save changes"
            onCancel={onCancel}
            onSubmit={async (body) => {
              const saved = await post<{ data: TeamRow }>("/team/update", { ...body, team_id: team.team_id });
              onSaved(`${label(saved.data)} is saved.`);
            }}
          />
        )}
      </AsyncView>
    </Modal>
  );
}

export function DeleteTeamConfirm({ team, keyCount, onCancel, onDeleted }: { team: TeamRow; keyCount: number; onCancel: () => void; onDeleted: (message: string) => void }) {
  return (
    <Confirm
      title={`Delete ${label(team)}?`}
      action="Delete team"
      danger
      onCancel={onCancel}
      onDone={async () => {
        const result = await post<{ deleted_keys: number }>("/team/delete", { team_ids: [team.team_id] });
        onDeleted(`${label(team)} is deleted, with ${count(result.deleted_keys)} ${result.deleted_keys === 1 ? "key" : "keys"}.`);
      }}
    >
      <p>
        {keyCount === 0 ? "It has no keys." : keyCount === 1 ? "Its key is deleted with it." : `Its ${count(keyCount)} keys are deleted with it.`} Its members leave it (the users
        stay), and its spend stays in the spend logs. This cannot be undone.
      </p>
    </Confirm>
  );
}

export function TeamState({ team }: { team: TeamRow }) {
  return team.blocked ? <Badge tone="danger">blocked</Badge> : <Badge tone="ok">active</Badge>;
}

export const setTeamBlocked = async (team: TeamRow, blocked: boolean) => {
  await post(blocked ? "/team/block" : "/team/unblock", { team_id: team.team_id });
  return `${label(team)} is ${blocked ? "blocked: its keys are refused" : "unblocked"}.`;
};

/** The edit form's starting values: the member defaults come from their budget row, and metadata without the fields shown on their own. */
function teamFormValues(team: TeamInfo["team_info"]): Body {
  const memberBudget = team.team_member_budget_table;
  const metadata = Object.fromEntries(Object.entries(team.metadata ?? {}).filter(([name]) => !(TEAM_METADATA_FIELDS as readonly string[]).includes(name)));
  return {
    ...team,
    metadata,
    team_member_budget: memberBudget?.max_budget ?? null,
    team_member_budget_duration: memberBudget?.budget_duration ?? null,
    team_member_rpm_limit: memberBudget?.rpm_limit ?? null,
    team_member_tpm_limit: memberBudget?.tpm_limit ?? null,
  };
}

export const label = (team: { team_id: string; team_alias?: string | null }) => (team.team_alias ? `“${team.team_alias}”` : team.team_id);
