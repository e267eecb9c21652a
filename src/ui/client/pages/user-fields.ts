/** Every field of /user/new and /user/update, as the user form shows them. */
import type { FieldSpec } from "../components/form.tsx";
import { keyFieldsIn } from "./key-fields.ts";
import { budgetFields, LIMIT_FIELDS, MODEL_MAX_BUDGET, MORE, modelsField, SPEND } from "./common-fields.ts";

const BASICS = "";
const FIRST_KEY = "First key";

export const USER_ROLES = ["proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer"] as const;

/** Fields stored on the user: the same on create and edit. */
export const USER_FIELDS: FieldSpec[] = [
  { name: "user_alias", label: "Alias", kind: "text", section: BASICS, help: "A readable name." },
  { name: "user_email", label: "Email", kind: "text", section: BASICS, placeholder: "name@example.com", help: "Unique across users." },
  {
    name: "user_role",
    label: "Role",
    kind: "select",
    section: BASICS,
    options: USER_ROLES,
    help: "Admins manage everything, admin viewers read everything; internal users manage their own keys (viewers only read them). Empty means internal_user.",
  },
  modelsField("Comma-separated; empty means every model."),
  { name: "password", label: "Password", kind: "password", section: BASICS, help: "8 to 128 characters. When editing, leave it empty to keep the current one." },
  ...budgetFields("The user's own budget, shared by its personal keys."),
  MODEL_MAX_BUDGET,
  SPEND,
  ...LIMIT_FIELDS,
  { name: "metadata", label: "Metadata", kind: "json", section: MORE, placeholder: '{"department": "research"}', cleared: {} },
  { name: "organization_id", label: "Organization ID", kind: "text", section: MORE },
  { name: "sso_user_id", label: "SSO user ID", kind: "text", section: MORE, help: "The user's id at the identity provider." },
];

/** Only on create: the user's id, its teams, and the key /user/new makes for it. */
export const NEW_USER_FIELDS: FieldSpec[] = [
  { name: "user_id", label: "User ID", kind: "text", section: BASICS, help: "Leave empty to have one generated." },
  ...USER_FIELDS,
  { name: "teams", label: "Teams", kind: "list", section: MORE, placeholder: "team-1, team-2", help: "Team IDs the user joins as a member; roles and budgets in a team are set on the team's page." },
  { name: "skip_key", label: "Create no key", kind: "boolean", section: FIRST_KEY, help: "By default the user gets a key of their own, described by the other fields in this section." },
  // The fields of the key /user/new makes, as the key form has them (team_id also makes the user a member).
  ...keyFieldsIn(
    FIRST_KEY,
    ["key_alias", "team_id", "duration", "key_type", "allowed_routes", "aliases", "allowed_cache_controls", "enforced_params", "guardrails", "permissions", "model_rpm_limit", "model_tpm_limit", "tags", "config", "blocked"],
    { key_alias: "Key alias", team_id: "Key's team ID", duration: "Key expires after", blocked: "Key blocked" },
  ),
];
