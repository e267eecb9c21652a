/** Every field of /customer/new and /customer/update, as the customer form shows them. */
import type { FieldSpec } from "../components/form.tsx";
import { BUDGET, budgetFields, LIMIT_FIELDS } from "./common-fields.ts";

const BASICS = "";

/** The customer's fields; `modelNames` makes the default model a choice among the configured ones. */
export function customerFields(modelNames: readonly string[] | undefined): FieldSpec[] {
  return [
    { name: "alias", label: "Alias", kind: "text", section: BASICS, help: "A readable name." },
    modelNames && modelNames.length > 0
      ? { name: "default_model", label: "Default model", kind: "select", section: BASICS, options: modelNames, help: "Used when a request for this customer names no model." }
      : { name: "default_model", label: "Default model", kind: "text", section: BASICS, placeholder: "gpt-4o", help: "A configured model group, used when a request for this customer names no model." },
    { name: "allowed_model_region", label: "Allowed model region", kind: "select", section: BASICS, options: ["eu", "us"], help: "Only deployments in this region serve the customer." },
    { name: "blocked", label: "Blocked", kind: "boolean", section: BASICS, help: "Requests made for a blocked customer are refused." },
    ...budgetFields("Requests are refused once spend reaches it."),
    { name: "budget_reset_at", label: "Next reset", kind: "text", section: BUDGET, placeholder: "2030-01-01T00:00:00Z", help: "An ISO 8601 date-time; worked out from the reset period when empty." },
    { name: "model_max_budget", label: "Budget per model", kind: "json", section: BUDGET, placeholder: '{"gpt-4o": {"max_budget": 10, "budget_duration": "30d"}}' },
    {
      name: "budget_id",
      label: "Budget ID",
      kind: "text",
      section: BUDGET,
      help: "Link an existing budget instead of giving the fields above. Changing the fields of a linked budget changes it for everyone linked to it.",
    },
    { name: "spend", label: "Spend so far (USD)", kind: "number", section: BUDGET, help: "Normally left alone: tollgate adds every call's cost." },
    ...LIMIT_FIELDS,
  ];
}

/** Only on create: the id the customer's requests carry. */
export const CUSTOMER_ID_FIELD: FieldSpec = {
  name: "user_id",
  label: "Customer ID",
  kind: "text",
  section: BASICS,
  required: true,
  help: 'The end-user id that requests carry: their "user" field or the x-litellm-customer-id header.',
};

/** Budget fields live in the customer's linked budget row; the form shows them as the customer's own. */
export const BUDGET_FIELD_NAMES = ["max_budget", "soft_budget", "budget_duration", "budget_reset_at", "model_max_budget", "rpm_limit", "tpm_limit", "max_parallel_requests"] as const;
