CREATE TABLE `budgets` (
	`budget_id` text PRIMARY KEY NOT NULL,
	`max_budget` real,
	`soft_budget` real,
	`max_parallel_requests` integer,
	`tpm_limit` integer,
	`rpm_limit` integer,
	`model_max_budget` text,
	`budget_duration` text,
	`budget_reset_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`alias` text,
	`spend` real DEFAULT 0 NOT NULL,
	`allowed_model_region` text,
	`default_model` text,
	`budget_id` text,
	`blocked` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deleted_keys` (
	`token` text NOT NULL,
	`key_alias` text,
	`user_id` text,
	`team_id` text,
	`spend` real NOT NULL,
	`row` text NOT NULL,
	`deleted_at` integer NOT NULL,
	`deleted_by` text
);
--> statement-breakpoint
CREATE INDEX `deleted_keys_token_idx` ON `deleted_keys` (`token`);--> statement-breakpoint
CREATE TABLE `deprecated_keys` (
	`token` text PRIMARY KEY NOT NULL,
	`active_token` text NOT NULL,
	`revoke_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `keys` (
	`token` text PRIMARY KEY NOT NULL,
	`key_name` text,
	`key_alias` text,
	`spend` real DEFAULT 0 NOT NULL,
	`max_budget` real,
	`budget_duration` text,
	`budget_reset_at` integer,
	`expires` integer,
	`models` text NOT NULL,
	`aliases` text NOT NULL,
	`config` text NOT NULL,
	`user_id` text,
	`team_id` text,
	`organization_id` text,
	`budget_id` text,
	`permissions` text NOT NULL,
	`metadata` text NOT NULL,
	`max_parallel_requests` integer,
	`tpm_limit` integer,
	`rpm_limit` integer,
	`model_max_budget` text NOT NULL,
	`model_spend` text NOT NULL,
	`blocked` integer,
	`allowed_routes` text NOT NULL,
	`allowed_cache_controls` text NOT NULL,
	`key_type` text,
	`extra` text NOT NULL,
	`rotation_count` integer DEFAULT 0 NOT NULL,
	`last_rotation_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `keys_key_alias_unique` ON `keys` (`key_alias`);--> statement-breakpoint
CREATE INDEX `keys_user_idx` ON `keys` (`user_id`);--> statement-breakpoint
CREATE INDEX `keys_team_idx` ON `keys` (`team_id`);--> statement-breakpoint
CREATE TABLE `spend_logs` (
	`request_id` text PRIMARY KEY NOT NULL,
	`call_type` text NOT NULL,
	`api_key` text NOT NULL,
	`spend` real NOT NULL,
	`total_tokens` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer NOT NULL,
	`completion_start_time` integer,
	`model` text NOT NULL,
	`model_id` text,
	`model_group` text,
	`custom_llm_provider` text,
	`api_base` text,
	`user` text,
	`end_user` text,
	`team_id` text,
	`organization_id` text,
	`status` text NOT NULL,
	`metadata` text NOT NULL,
	`request_tags` text NOT NULL,
	`cache_hit` text,
	`requester_ip_address` text,
	`messages` text,
	`response` text
);
--> statement-breakpoint
CREATE INDEX `spend_logs_start_idx` ON `spend_logs` (`start_time`);--> statement-breakpoint
CREATE INDEX `spend_logs_key_idx` ON `spend_logs` (`api_key`);--> statement-breakpoint
CREATE INDEX `spend_logs_user_idx` ON `spend_logs` (`user`);--> statement-breakpoint
CREATE INDEX `spend_logs_team_idx` ON `spend_logs` (`team_id`);--> statement-breakpoint
CREATE INDEX `spend_logs_end_user_idx` ON `spend_logs` (`end_user`);--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`spend` real DEFAULT 0 NOT NULL,
	`budget_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `team_members_user_idx` ON `team_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`team_id` text PRIMARY KEY NOT NULL,
	`team_alias` text,
	`organization_id` text,
	`metadata` text NOT NULL,
	`max_budget` real,
	`soft_budget` real,
	`spend` real DEFAULT 0 NOT NULL,
	`models` text NOT NULL,
	`max_parallel_requests` integer,
	`tpm_limit` integer,
	`rpm_limit` integer,
	`budget_duration` text,
	`budget_reset_at` integer,
	`blocked` integer DEFAULT false NOT NULL,
	`model_aliases` text NOT NULL,
	`model_max_budget` text NOT NULL,
	`model_spend` text NOT NULL,
	`team_member_budget_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`user_id` text PRIMARY KEY NOT NULL,
	`user_email` text,
	`user_alias` text,
	`user_role` text NOT NULL,
	`organization_id` text,
	`sso_user_id` text,
	`password_hash` text,
	`max_budget` real,
	`soft_budget` real,
	`spend` real DEFAULT 0 NOT NULL,
	`budget_duration` text,
	`budget_reset_at` integer,
	`models` text NOT NULL,
	`max_parallel_requests` integer,
	`tpm_limit` integer,
	`rpm_limit` integer,
	`model_max_budget` text NOT NULL,
	`model_spend` text NOT NULL,
	`metadata` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_user_email_unique` ON `users` (`user_email`);