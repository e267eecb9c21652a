// No imports: the admin UI's browser code imports this list too.

/**
 * Request fields kept inside the team's `metadata` and echoed at the top level. The
 * first five are where LiteLLM keeps them too; the rest have their own tables or
 * columns upstream and no behaviour here yet, so they are persisted and echoed only.
 */
export const TEAM_METADATA_FIELDS = [
  "tags",
  "guardrails",
  "model_rpm_limit",
  "model_tpm_limit",
  "team_member_key_duration",
  "team_member_permissions",
  "object_permission",
  "router_settings",
  "access_group_ids",
] as const;
