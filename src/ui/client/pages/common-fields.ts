/**
 * Form fields that keys, users, teams and customers share: the same name means the
 * same thing on every route, so it reads the same in every form. Each entity's own
 * file says which of them it takes and in which section.
 */
import type { FieldSpec } from "../components/form.tsx";

export const BUDGET = "Budget";
export const LIMITS = "Rate limits";
export const ACCESS = "Access";
export const MORE = "Metadata and more";

/** max_budget (with what it binds), soft_budget and budget_duration. */
export function budgetFields(maxBudgetHelp?: string): FieldSpec[] {
  return [
    { name: "max_budget", label: "Max budget (USD)", kind: "number", section: BUDGET, help: maxBudgetHelp },
    { name: "soft_budget", label: "Soft budget (USD)", kind: "number", section: BUDGET, help: "Crossing it is recorded; nothing is blocked." },
    { name: "budget_duration", label: "Budget resets every", kind: "text", section: BUDGET, placeholder: "30d" },
  ];
}

export const MODEL_MAX_BUDGET: FieldSpec = {
  name: "model_max_budget",
  label: "Budget per model",
  kind: "json",
  section: BUDGET,
  placeholder: '{"gpt-4o": {"budget_limit": 10, "time_period": "30d"}}',
  cleared: {},
};

export const SPEND: FieldSpec = { name: "spend", label: "Spend so far (USD)", kind: "number", section: BUDGET, help: "Normally left alone: tollgate adds every call's cost." };

/** rpm_limit, tpm_limit and max_parallel_requests. */
export const LIMIT_FIELDS: FieldSpec[] = [
  { name: "rpm_limit", label: "Requests per minute", kind: "integer", section: LIMITS },
  { name: "tpm_limit", label: "Tokens per minute", kind: "integer", section: LIMITS },
  { name: "max_parallel_requests", label: "Parallel requests", kind: "integer", section: LIMITS },
];

/** model_rpm_limit and model_tpm_limit. */
export const MODEL_LIMIT_FIELDS: FieldSpec[] = [
  { name: "model_rpm_limit", label: "Requests per minute per model", kind: "json", section: LIMITS, placeholder: '{"gpt-4o": 10}' },
  { name: "model_tpm_limit", label: "Tokens per minute per model", kind: "json", section: LIMITS, placeholder: '{"gpt-4o": 10000}' },
];

export const modelsField = (help: string): FieldSpec => ({ name: "models", label: "Models", kind: "list", placeholder: "gpt-4o, claude-3-5-sonnet", help, cleared: [] });
