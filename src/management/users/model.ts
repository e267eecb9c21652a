/** Request schemas of the /user/* routes (API.md §2.1). */
import { type Static, t } from "elysia";
import { USER_ROLES } from "../../auth/roles.ts";
import { keyFields } from "../keys/model.ts";
import { Count, Id, JsonMap, Money, nullable, OneOf, StringList } from "../schema-parts.ts";

const UserRole = OneOf(USER_ROLES, { description: "proxy_admin, proxy_admin_viewer, internal_user or internal_user_viewer." });

const TeamRef = t.Union([
  Id,
  t.Object({ team_id: Id, max_budget_in_team: nullable(Money()), user_role: nullable(OneOf(["admin", "user"] as const)) }),
]);

/** Fields stored on the user row (the user's own budget and limits). */
export const userFields = {
  user_email: nullable(t.String({ minLength: 3, maxLength: 255, pattern: Id.pattern })),
  user_alias: nullable(t.String({ maxLength: 255, pattern: Id.pattern })),
  user_role: nullable(UserRole),
  max_budget: nullable(Money({ description: "The user's own budget in USD (applies to personal keys)." })),
  soft_budget: nullable(Money()),
  budget_duration: nullable(t.String({ maxLength: 32 })),
  models: nullable(StringList()),
  tpm_limit: nullable(Count),
  rpm_limit: nullable(Count),
  max_parallel_requests: nullable(Count),
  model_max_budget: nullable(JsonMap),
  metadata: nullable(JsonMap),
  spend: nullable(Money()),
  sso_user_id: nullable(Id),
  organization_id: nullable(Id),
  password: nullable(t.String({ minLength: 8, maxLength: 128 })),
};

export const NewUserBody = t.Object(
  {
    ...keyFields,
    ...userFields,
    user_id: nullable(Id),
    teams: nullable(t.Array(TeamRef, { maxItems: 100 })),
    organizations: nullable(StringList()),
    auto_create_key: nullable(t.Boolean({ default: true })),
  },
  { description: "NewUserRequest: user fields plus the fields of its first key" },
);
export type NewUserRequest = Static<typeof NewUserBody>;

export const UpdateUserBody = t.Object({
  ...userFields,
  user_id: nullable(Id),
});
export type UpdateUserRequest = Static<typeof UpdateUserBody>;

export const DeleteUsersBody = t.Object({ user_ids: t.Array(Id, { minItems: 1, maxItems: 1000 }) });

export const UserListQuery = t.Object({
  role: t.Optional(UserRole),
  user_ids: t.Optional(t.String({ maxLength: 65536, description: "Comma-separated user ids." })),
  sso_user_ids: t.Optional(t.String({ maxLength: 65536 })),
  user_email: t.Optional(t.String({ maxLength: 255, description: "Case-insensitive part of the email." })),
  team: t.Optional(Id),
  page: t.Optional(t.Numeric({ description: "Page number, from 1." })),
  page_size: t.Optional(t.Numeric({ description: "Users per page, 1 to 100 (default 25)." })),
  sort_by: t.Optional(OneOf(["user_id", "user_email", "created_at", "spend", "user_alias", "user_role"] as const)),
  sort_order: t.Optional(OneOf(["asc", "desc"] as const)),
});
export type UserListParams = Static<typeof UserListQuery>;
