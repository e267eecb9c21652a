CREATE TABLE "ledger_checkpoints" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
