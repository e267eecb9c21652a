/** Every field of /user/new and /user/update, as the user form shows them. */
import type { FieldSpec } from "../components/form.tsx";
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
  { name: "key_alias", label: "Key alias", kind: "text", section: FIRST_KEY, help: "Unique across keys." },
  { name: "duration", label: "Key expires after", kind: "text", section: FIRST_KEY, placeholder: "30d", help: "A duration like 12h, 30d or 1mo; empty for never." },
  { name: "key_type", label: "Key type", kind: "select", section: FIRST_KEY, options: ["default", "llm_api", "management", "read_only"], help: "Sets the routes the key may call, unless allowed routes are given." },
  { name: "allowed_routes", label: "Allowed routes", kind: "list", section: FIRST_KEY, placeholder: "llm_api_routes, /key/info" },
  { name: "aliases", label: "Model aliases", kind: "json", section: FIRST_KEY, placeholder: '{"my-gpt": "gpt-4o"}' },
  { name: "allowed_cache_controls", label: "Allowed cache controls", kind: "list", section: FIRST_KEY },
  { name: "guardrails", label: "Guardrails", kind: "list", section: FIRST_KEY },
  { name: "permissions", label: "Permissions", kind: "json", section: FIRST_KEY },
  { name: "tags", label: "Tags", kind: "list", section: FIRST_KEY },
  { name: "config", label: "Config", kind: "json", section: FIRST_KEY },
  { name: "blocked", label: "Key blocked", kind: "boolean", section: FIRST_KEY, help: "A blocked key is refused with 401." },
];
