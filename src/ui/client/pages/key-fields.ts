/** Every field of /key/generate, as the key form shows them (edit uses the same, minus the key itself). */
import type { Body, FieldSpec } from "../components/form.tsx";
import { ACCESS, BUDGET, budgetFields, LIMIT_FIELDS, LIMITS, MODEL_LIMIT_FIELDS, MODEL_MAX_BUDGET, MORE, modelsField, SPEND } from "./common-fields.ts";

const LIMIT_TYPES = ["best_effort_throughput", "guaranteed_throughput", "dynamic"] as const;
/** The pseudo-field whose JSON object is merged into the request (see withOtherFields). */
const OTHER_FIELDS = "other_fields";

export const KEY_FIELDS: FieldSpec[] = [
  { name: "key_alias", label: "Alias", kind: "text", help: "A readable name, unique across keys." },
  { name: "team_id", label: "Team ID", kind: "text" },
  { name: "user_id", label: "User ID", kind: "text", help: "The owner; a personal key's models and budget follow its user." },
  modelsField("Comma-separated model groups or access groups; empty means every model."),
  { name: "duration", label: "Expires after", kind: "text", placeholder: "30d", help: 'A duration like 30s, 12h, 30d or 1mo; empty for never ("-1" on edit removes the expiry).' },
  ...budgetFields(),
  { name: "budget_id", label: "Budget ID", kind: "text", section: BUDGET, help: "Take max budget and limits from a /budget row." },
  MODEL_MAX_BUDGET,
  SPEND,
  { name: "temp_budget_increase", label: "Temporary budget increase (USD)", kind: "number", section: BUDGET, help: "Added to the max budget until the expiry below." },
  { name: "temp_budget_expiry", label: "Temporary increase ends", kind: "datetime", section: BUDGET },
  ...LIMIT_FIELDS,
  ...MODEL_LIMIT_FIELDS,
  { name: "rpm_limit_type", label: "Requests-per-minute limit type", kind: "select", section: LIMITS, options: LIMIT_TYPES },
  { name: "tpm_limit_type", label: "Tokens-per-minute limit type", kind: "select", section: LIMITS, options: LIMIT_TYPES },
  { name: "key_type", label: "Key type", kind: "select", section: ACCESS, options: ["default", "llm_api", "management", "read_only"], help: "Sets the routes the key may call, unless allowed routes are given." },
  { name: "allowed_routes", label: "Allowed routes", kind: "list", section: ACCESS, placeholder: "llm_api_routes, /key/info", cleared: [] },
  { name: "aliases", label: "Model aliases", kind: "json", section: ACCESS, placeholder: '{"my-gpt": "gpt-4o"}', cleared: {} },
  { name: "allowed_cache_controls", label: "Allowed cache controls", kind: "list", section: ACCESS, cleared: [] },
  { name: "enforced_params", label: "Enforced request params", kind: "list", section: ACCESS, placeholder: "user, metadata.tags" },
  { name: "guardrails", label: "Guardrails", kind: "list", section: ACCESS },
  { name: "permissions", label: "Permissions", kind: "json", section: ACCESS, cleared: {} },
  { name: "blocked", label: "Blocked", kind: "boolean", section: ACCESS, help: "A blocked key is refused with 401." },
  { name: "allowed_passthrough_routes", label: "Allowed pass-through routes", kind: "list", section: ACCESS },
  { name: "access_group_ids", label: "Access group IDs", kind: "list", section: ACCESS },
  { name: "object_permission", label: "Object permission", kind: "json", section: ACCESS },
  { name: "policies", label: "Policies", kind: "list", section: ACCESS },
  { name: "prompts", label: "Prompts", kind: "list", section: ACCESS },
  { name: "tags", label: "Tags", kind: "list", section: MORE },
  { name: "metadata", label: "Metadata", kind: "json", section: MORE, placeholder: '{"owner": "platform-team"}', cleared: {} },
  { name: "config", label: "Config", kind: "json", section: MORE, cleared: {} },
  { name: "organization_id", label: "Organization ID", kind: "text", section: MORE },
  { name: "project_id", label: "Project ID", kind: "text", section: MORE },
  { name: "agent_id", label: "Agent ID", kind: "text", section: MORE },
  { name: "router_settings", label: "Router settings", kind: "json", section: MORE },
  { name: "auto_rotate", label: "Rotate automatically", kind: "boolean", section: MORE },
  { name: "rotation_interval", label: "Rotation interval", kind: "text", section: MORE, placeholder: "30d" },
  { name: "send_invite_email", label: "Send invite email", kind: "boolean", section: MORE },
  {
    name: OTHER_FIELDS,
    label: "Other fields (JSON)",
    kind: "json",
    section: MORE,
    placeholder: '{"allowed_vector_store_indexes": [{"index_name": "docs", "index_permissions": ["read"]}]}',
    help: "Any other /key/generate field, sent as given.",
  },
];

/** Key fields shown in another form's section (the user form's "First key"), relabelled where given. */
export function keyFieldsIn(section: string, names: readonly string[], labels: Record<string, string> = {}): FieldSpec[] {
  return names.map((name) => {
    const field = KEY_FIELDS.find((f) => f.name === name);
    if (!field) throw new Error(`no key field named ${name}`);
    return { ...field, section, label: labels[name] ?? field.label };
  });
}

/** The form's body with the "Other fields" object spread into it. */
export function withOtherFields(body: Body): Body {
  const { [OTHER_FIELDS]: other, ...rest } = body;
  return other && typeof other === "object" ? { ...rest, ...(other as Body) } : rest;
}

/** Only on create: a key chosen by the caller instead of a generated one. */
export const CUSTOM_KEY_FIELD: FieldSpec = { name: "key", label: "Custom key", kind: "text", section: MORE, placeholder: "sk-…", help: "Leave empty to have a key generated." };
