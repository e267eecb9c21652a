/**
 * Request schemas of the /team/* routes (API.md §2.2). `null` is accepted wherever
 * LiteLLM's pydantic models say Optional, and means "unset" (or, on update, "clear").
 */
import { type Static, t } from "elysia";
import { Count, Id, JsonMap, Money, nullable, OneOf, StringList } from "../schema-parts.ts";

const DurationText = (description?: string) => t.String({ maxLength: 32, description });
const Email = t.String({ minLength: 3, maxLength: 255, pattern: Id.pattern });

export const MemberRole = OneOf(["admin", "user"] as const, { description: "admin may manage the team's members, models and keys." });
export type MemberRoleName = Static<typeof MemberRole>;

/** A team member by user_id or user_email (one is required); unknown users are created. */
export const Member = t.Object({ role: MemberRole, user_id: nullable(Id), user_email: nullable(Email) });
export type MemberRef = Static<typeof Member>;

/** Fields shared by /team/new and /team/update. */
export const teamFields = {
  team_alias: nullable(t.String({ maxLength: 255, pattern: Id.pattern, description: "Human-readable name." })),
  organization_id: nullable(Id),
  metadata: nullable(JsonMap),
  tpm_limit: nullable(Count),
  rpm_limit: nullable(Count),
  max_parallel_requests: nullable(Count),
  max_budget: nullable(Money({ description: "USD budget shared by all the team's keys." })),
  soft_budget: nullable(Money({ description: "Alert threshold in USD (does not block)." })),
  budget_duration: nullable(DurationText("Budget window, e.g. 1d, 7d, 1mo; spend resets at aligned boundaries.")),
  models: nullable(StringList({ description: "Models the team's keys may call. Empty = all models." })),
  blocked: nullable(t.Boolean({ description: "A blocked team's keys are refused with 401." })),
  model_aliases: nullable(t.Record(t.String({ maxLength: 255 }), t.String({ maxLength: 255 }), { description: "Team-wide model rename map." })),
  model_max_budget: nullable(JsonMap),
  tags: nullable(StringList()),
  guardrails: nullable(StringList()),
  model_rpm_limit: nullable(t.Record(t.String({ maxLength: 255 }), Count)),
  model_tpm_limit: nullable(t.Record(t.String({ maxLength: 255 }), Count)),
  team_member_budget: nullable(Money({ description: "Default USD budget of each member inside the team." })),
  team_member_budget_duration: nullable(DurationText()),
  team_member_rpm_limit: nullable(Count),
  team_member_tpm_limit: nullable(Count),
  team_member_key_duration: nullable(DurationText("Default lifetime of keys members create.")),
  team_member_permissions: nullable(StringList()),
  object_permission: nullable(JsonMap),
  router_settings: nullable(JsonMap),
  access_group_ids: nullable(StringList()),
};
export type TeamFieldValues = { [K in keyof typeof teamFields]?: Static<(typeof teamFields)[K]> };

export const NewTeamBody = t.Object(
  {
    ...teamFields,
    team_id: nullable(Id),
    members_with_roles: nullable(t.Array(Member, { maxItems: 1000 })),
  },
  { description: "NewTeamRequest" },
);
export type NewTeamRequest = Static<typeof NewTeamBody>;

export const UpdateTeamBody = t.Object({ ...teamFields, team_id: Id }, { description: "UpdateTeamRequest" });
export type UpdateTeamRequest = Static<typeof UpdateTeamBody>;

export const TeamIdBody = t.Object({ team_id: Id });

export const DeleteTeamsBody = t.Object({ team_ids: t.Array(Id, { minItems: 1, maxItems: 1000 }) });

export const TeamModelsBody = t.Object({ team_id: Id, models: t.Array(t.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 1000 }) });

export const MemberAddBody = t.Object({
  team_id: Id,
  member: t.Union([Member, t.Array(Member, { minItems: 1, maxItems: 1000 })]),
  max_budget_in_team: nullable(Money({ description: "USD budget of each added member inside this team." })),
});
export type MemberAddRequest = Static<typeof MemberAddBody>;

export const MemberDeleteBody = t.Object({ team_id: Id, user_id: nullable(Id), user_email: nullable(Email) });
export type MemberDeleteRequest = Static<typeof MemberDeleteBody>;

export const MemberUpdateBody = t.Object({
  team_id: Id,
  user_id: nullable(Id),
  user_email: nullable(Email),
  role: nullable(MemberRole),
  max_budget_in_team: nullable(Money()),
  tpm_limit: nullable(Count),
  rpm_limit: nullable(Count),
});
export type MemberUpdateRequest = Static<typeof MemberUpdateBody>;

export const TeamInfoQuery = t.Object({ team_id: Id });

export const TeamListQuery = t.Object({
  user_id: t.Optional(Id),
  organization_id: t.Optional(t.String({ maxLength: 255, description: "default_organization = teams of no organization." })),
});
export type TeamListParams = Static<typeof TeamListQuery>;

export const TeamPageQuery = t.Object({
  ...TeamListQuery.properties,
  page: t.Optional(t.Numeric({ description: "Page number, from 1." })),
  page_size: t.Optional(t.Numeric({ description: "Teams per page, 1 to 100 (default 10)." })),
});
