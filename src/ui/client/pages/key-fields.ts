/** Every field of /key/generate, as the key form shows them (edit uses the same, minus the key itself). */
import type { FieldSpec } from "../components/form.tsx";

const BASICS = "";
const BUDGET = "Budget";
const LIMITS = "Rate limits";
const ACCESS = "Access";
const MORE = "Metadata and more";

export const KEY_FIELDS: FieldSpec[] = [
  { name: "key_alias", label: "Alias", kind: "text", section: BASICS, help: "A readable name, unique across keys." },
  { name: "team_id", label: "Team ID", kind: "text", section: BASICS },
  { name: "user_id", label: "User ID", kind: "text", section: BASICS, help: "The owner; a personal key's models and budget follow its user." },
  { name: "models", label: "Models", kind: "list", section: BASICS, placeholder: "gpt-4o, claude-3-5-sonnet", help: "Comma-separated model groups or access groups; empty means every model.", cleared: [] },
  { name: "duration", label: "Expires after", kind: "text", section: BASICS, placeholder: "30d", help: 'A duration like 30s, 12h, 30d or 1mo; empty for never ("-1" on edit removes the expiry).' },
  { name: "max_budget", label: "Max budget (USD)", kind: "number", section: BUDGET },
  { name: "soft_budget", label: "Soft budget (USD)", kind: "number", section: BUDGET, help: "Crossing it is recorded; nothing is blocked." },
  { name: "budget_duration", label: "Budget resets every", kind: "text", section: BUDGET, placeholder: "30d" },
  { name: "budget_id", label: "Budget ID", kind: "text", section: BUDGET, help: "Take max budget and limits from a /budget row." },
  { name: "model_max_budget", label: "Budget per model", kind: "json", section: BUDGET, placeholder: '{"gpt-4o": {"budget_limit": 10, "time_period": "30d"}}', cleared: {} },
  { name: "spend", label: "Spend so far (USD)", kind: "number", section: BUDGET, help: "Normally left alone: tollgate adds every call's cost." },
  { name: "rpm_limit", label: "Requests per minute", kind: "integer", section: LIMITS },
  { name: "tpm_limit", label: "Tokens per minute", kind: "integer", section: LIMITS },
  { name: "max_parallel_requests", label: "Parallel requests", kind: "integer", section: LIMITS },
  { name: "model_rpm_limit", label: "Requests per minute per model", kind: "json", section: LIMITS, placeholder: '{"gpt-4o": 10}' },
  { name: "model_tpm_limit", label: "Tokens per minute per model", kind: "json", section: LIMITS, placeholder: '{"gpt-4o": 10000}' },
  { name: "key_type", label: "Key type", kind: "select", section: ACCESS, options: ["default", "llm_api", "management", "read_only"], help: "Sets the routes the key may call, unless allowed routes are given." },
  { name: "allowed_routes", label: "Allowed routes", kind: "list", section: ACCESS, placeholder: "llm_api_routes, /key/info", cleared: [] },
  { name: "aliases", label: "Model aliases", kind: "json", section: ACCESS, placeholder: '{"my-gpt": "gpt-4o"}', cleared: {} },
  { name: "allowed_cache_controls", label: "Allowed cache controls", kind: "list", section: ACCESS, cleared: [] },
  { name: "enforced_params", label: "Enforced request params", kind: "list", section: ACCESS, placeholder: "user, metadata.tags" },
  { name: "guardrails", label: "Guardrails", kind: "list", section: ACCESS },
  { name: "permissions", label: "Permissions", kind: "json", section: ACCESS, cleared: {} },
  { name: "blocked", label: "Blocked", kind: "boolean", section: ACCESS, help: "A blocked key is refused with 401." },
  { name: "tags", label: "Tags", kind: "list", section: MORE },
  { name: "metadata", label: "Metadata", kind: "json", section: MORE, placeholder: '{"owner": "platform-team"}', cleared: {} },
  { name: "config", label: "Config", kind: "json", section: MORE, cleared: {} },
  { name: "organization_id", label: "Organization ID", kind: "text", section: MORE },
  { name: "send_invite_email", label: "Send invite email", kind: "boolean", section: MORE },
];

/** Only on create: a key chosen by the caller instead of a generated one. */
export const CUSTOM_KEY_FIELD: FieldSpec = { name: "key", label: "Custom key", kind: "text", section: MORE, placeholder: "sk-…", help: "Leave empty to have a key generated." };
