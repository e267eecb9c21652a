CREATE TABLE `ledger_checkpoints` (
	`instance_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`updated_at` integer NOT NULL
);
