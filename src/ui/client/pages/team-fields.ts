/** Every field of /team/new and /team/update, and of the member routes, as the team forms show them. */
import type { FieldSpec } from "../components/form.tsx";
import { ACCESS, budgetFields, LIMIT_FIELDS, MODEL_LIMIT_FIELDS, MODEL_MAX_BUDGET, MORE, modelsField } from "./common-fields.ts";

const BASICS = "";
const MEMBER_DEFAULTS = "Member defaults";
const MEMBERS = "Members";

/** Fields of the team itself: the same on create and edit. */
export const TEAM_FIELDS: FieldSpec[] = [
  { name: "team_alias", label: "Alias", kind: "text", section: BASICS, help: "A readable name." },
  modelsField("Comma-separated models the team's keys may call; empty means every model."),
  ...budgetFields("Shared by all the team's keys."),
  MODEL_MAX_BUDGET,
  ...LIMIT_FIELDS,
  ...MODEL_LIMIT_FIELDS,
  { name: "team_member_budget", label: "Budget of each member (USD)", kind: "number", section: MEMBER_DEFAULTS, help: "Each member's own budget inside the team, unless set per member." },
  { name: "team_member_budget_duration", label: "Member budget resets every", kind: "text", section: MEMBER_DEFAULTS, placeholder: "30d" },
  { name: "team_member_rpm_limit", label: "Requests per minute of each member", kind: "integer", section: MEMBER_DEFAULTS },
  { name: "team_member_tpm_limit", label: "Tokens per minute of each member", kind: "integer", section: MEMBER_DEFAULTS },
  { name: "team_member_key_duration", label: "Members' keys expire after", kind: "text", section: MEMBER_DEFAULTS, placeholder: "30d" },
  { name: "team_member_permissions", label: "Member permissions", kind: "list", section: MEMBER_DEFAULTS, placeholder: "/key/generate, /key/update" },
  { name: "blocked", label: "Blocked", kind: "boolean", section: ACCESS, help: "Every key of a blocked team is refused with 401." },
  { name: "model_aliases", label: "Model aliases", kind: "json", section: ACCESS, placeholder: '{"my-gpt": "gpt-4o"}', cleared: {} },
  { name: "guardrails", label: "Guardrails", kind: "list", section: ACCESS },
  { name: "access_group_ids", label: "Access group IDs", kind: "list", section: ACCESS },
  { name: "object_permission", label: "Object permission", kind: "json", section: ACCESS },
  { name: "router_settings", label: "Router settings", kind: "json", section: ACCESS },
  { name: "tags", label: "Tags", kind: "list", section: MORE },
  { name: "metadata", label: "Metadata", kind: "json", section: MORE, placeholder: '{"cost_center": "R&D"}', cleared: {} },
  { name: "organization_id", label: "Organization ID", kind: "text", section: MORE },
];

/** Only on create: the team's id and its first members (sent as members_with_roles). */
export const NEW_TEAM_FIELDS: FieldSpec[] = [
  { name: "team_id", label: "Team ID", kind: "text", section: BASICS, help: "Leave empty to have one generated." },
  ...TEAM_FIELDS,
  { name: "admins", label: "Admins", kind: "list", section: MEMBERS, placeholder: "alice, bob", help: "User IDs who may manage the team's members, models and keys. Unknown IDs become new users." },
  { name: "members", label: "Members", kind: "list", section: MEMBERS, placeholder: "carol, dave", help: "User IDs of the other members. Add members by email on the team's page." },
];

export const MEMBER_ROLES = ["user", "admin"] as const;

/** /team/member_add: one member, by user ID or email. */
export const ADD_MEMBER_FIELDS: FieldSpec[] = [
  { name: "user_id", label: "User ID", kind: "text", help: "Give the user ID or the email; a user that does not exist yet is created." },
  { name: "user_email", label: "Email", kind: "text", placeholder: "name@example.com" },
  { name: "role", label: "Role in the team", kind: "select", options: MEMBER_ROLES, required: true, help: "Admins may manage the team's members, models and keys." },
  { name: "max_budget_in_team", label: "Budget in the team (USD)", kind: "number", help: "Empty: the team's member default, if any." },
];

/** /team/member_update: the member's role and its own budget and limits in the team. */
export const MEMBER_FIELDS: FieldSpec[] = [
  { name: "role", label: "Role in the team", kind: "select", options: MEMBER_ROLES, required: true },
  { name: "max_budget_in_team", label: "Budget in the team (USD)", kind: "number" },
  { name: "rpm_limit", label: "Requests per minute", kind: "integer" },
  { name: "tpm_limit", label: "Tokens per minute", kind: "integer" },
];

/** Request fields the team keeps inside metadata and echoes at the top level: the server's own list. */
export { TEAM_METADATA_FIELDS } from "../../../management/teams/metadata-fields.ts";
