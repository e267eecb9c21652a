DROP INDEX "spend_logs_team_idx";--> statement-breakpoint
DROP INDEX "spend_logs_end_user_idx";