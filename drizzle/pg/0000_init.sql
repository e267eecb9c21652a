CREATE TABLE "budgets" (
	"budget_id" text PRIMARY KEY NOT NULL,
	"max_budget" double precision,
	"soft_budget" double precision,
	"max_parallel_requests" integer,
	"tpm_limit" integer,
	"rpm_limit" integer,
	"model_max_budget" jsonb,
	"budget_duration" text,
	"budget_reset_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"user_id" text PRIMARY KEY NOT NULL,
	"alias" text,
	"spend" double precision DEFAULT 0 NOT NULL,
	"allowed_model_region" text,
	"default_model" text,
	"budget_id" text,
	"blocked" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deleted_keys" (
	"token" text NOT NULL,
	"key_alias" text,
	"user_id" text,
	"team_id" text,
	"spend" double precision NOT NULL,
	"row" jsonb NOT NULL,
	"deleted_at" timestamp with time zone NOT NULL,
	"deleted_by" text
);
--> statement-breakpoint
CREATE TABLE "deprecated_keys" (
	"token" text PRIMARY KEY NOT NULL,
	"active_token" text NOT NULL,
	"revoke_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "keys" (
	"token" text PRIMARY KEY NOT NULL,
	"key_name" text,
	"key_alias" text,
	"spend" double precision DEFAULT 0 NOT NULL,
	"max_budget" double precision,
	"budget_duration" text,
	"budget_reset_at" timestamp with time zone,
	"expires" timestamp with time zone,
	"models" jsonb NOT NULL,
	"aliases" jsonb NOT NULL,
	"config" jsonb NOT NULL,
	"user_id" text,
	"team_id" text,
	"organization_id" text,
	"budget_id" text,
	"permissions" jsonb NOT NULL,
	"metadata" jsonb NOT NULL,
	"max_parallel_requests" integer,
	"tpm_limit" integer,
	"rpm_limit" integer,
	"model_max_budget" jsonb NOT NULL,
	"model_spend" jsonb NOT NULL,
	"blocked" boolean,
	"allowed_routes" jsonb NOT NULL,
	"allowed_cache_controls" jsonb NOT NULL,
	"key_type" text,
	"extra" jsonb NOT NULL,
	"rotation_count" integer DEFAULT 0 NOT NULL,
	"last_rotation_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text,
	CONSTRAINT "keys_key_alias_unique" UNIQUE("key_alias")
);
--> statement-breakpoint
CREATE TABLE "spend_logs" (
	"request_id" text PRIMARY KEY NOT NULL,
	"call_type" text NOT NULL,
	"api_key" text NOT NULL,
	"spend" double precision NOT NULL,
	"total_tokens" integer NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"cached_tokens" integer DEFAULT 0 NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"completion_start_time" timestamp with time zone,
	"model" text NOT NULL,
	"model_id" text,
	"model_group" text,
	"custom_llm_provider" text,
	"api_base" text,
	"user" text,
	"end_user" text,
	"team_id" text,
	"organization_id" text,
	"status" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"request_tags" jsonb NOT NULL,
	"cache_hit" text,
	"requester_ip_address" text,
	"messages" jsonb,
	"response" jsonb
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"spend" double precision DEFAULT 0 NOT NULL,
	"budget_id" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "team_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"team_id" text PRIMARY KEY NOT NULL,
	"team_alias" text,
	"organization_id" text,
	"metadata" jsonb NOT NULL,
	"max_budget" double precision,
	"soft_budget" double precision,
	"spend" double precision DEFAULT 0 NOT NULL,
	"models" jsonb NOT NULL,
	"max_parallel_requests" integer,
	"tpm_limit" integer,
	"rpm_limit" integer,
	"budget_duration" text,
	"budget_reset_at" timestamp with time zone,
	"blocked" boolean DEFAULT false NOT NULL,
	"model_aliases" jsonb NOT NULL,
	"model_max_budget" jsonb NOT NULL,
	"model_spend" jsonb NOT NULL,
	"team_member_budget_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"user_email" text,
	"user_alias" text,
	"user_role" text NOT NULL,
	"organization_id" text,
	"sso_user_id" text,
	"password_hash" text,
	"max_budget" double precision,
	"soft_budget" double precision,
	"spend" double precision DEFAULT 0 NOT NULL,
	"budget_duration" text,
	"budget_reset_at" timestamp with time zone,
	"models" jsonb NOT NULL,
	"max_parallel_requests" integer,
	"tpm_limit" integer,
	"rpm_limit" integer,
	"model_max_budget" jsonb NOT NULL,
	"model_spend" jsonb NOT NULL,
	"metadata" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_user_email_unique" UNIQUE("user_email")
);
--> statement-breakpoint
CREATE INDEX "deleted_keys_token_idx" ON "deleted_keys" USING btree ("token");--> statement-breakpoint
CREATE INDEX "keys_user_idx" ON "keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "keys_team_idx" ON "keys" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "spend_logs_start_idx" ON "spend_logs" USING btree ("start_time");--> statement-breakpoint
CREATE INDEX "spend_logs_key_idx" ON "spend_logs" USING btree ("api_key");--> statement-breakpoint
CREATE INDEX "spend_logs_user_idx" ON "spend_logs" USING btree ("user");--> statement-breakpoint
CREATE INDEX "spend_logs_team_idx" ON "spend_logs" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "spend_logs_end_user_idx" ON "spend_logs" USING btree ("end_user");--> statement-breakpoint
CREATE INDEX "team_members_user_idx" ON "team_members" USING btree ("user_id");