-- Usage events partitioned by month of their timestamp; their ids held unique in a table of their own
-- (a unique key of a partitioned table must hold the partition key, and an id is unique whatever its time).
CREATE TABLE "usage_event_ids" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"event_id" text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	CONSTRAINT "usage_event_ids_pk" PRIMARY KEY("customer_id","env","event_id")
);
--> statement-breakpoint
INSERT INTO "usage_event_ids" ("customer_id", "env", "event_id", "timestamp")
SELECT "customer_id", "env", "event_id", "timestamp" FROM "usage_events";
--> statement-breakpoint
ALTER TABLE "usage_events" RENAME TO "usage_events_unpartitioned";
--> statement-breakpoint
ALTER INDEX "usage_events_feature_time" RENAME TO "usage_events_unpartitioned_feature_time";
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"event_id" text NOT NULL,
	"feature_key" text NOT NULL,
	"quantity" numeric(38, 9) NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"workspace_id" text,
	"user_id" text,
	"properties" jsonb,
	"window_start" timestamp with time zone NOT NULL,
	"backfill" boolean DEFAULT false NOT NULL
) PARTITION BY RANGE ("timestamp");
--> statement-breakpoint
CREATE INDEX "usage_events_feature_time" ON "usage_events" USING btree ("customer_id","env","feature_key","timestamp");
--> statement-breakpoint
-- The partition of the UTC month holding `at` (`usage_events_YYYY_MM`), made if missing; answers its
-- name. Call it outside a write's transaction: making a partition locks the whole table until commit.
-- Two sessions may make the same one at once: the loser finds it made.
CREATE FUNCTION "usage_events_partition"("at" timestamp with time zone) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	month_start timestamp := date_trunc('month', "at" AT TIME ZONE 'UTC');
	name text := 'usage_events_' || to_char(month_start, 'YYYY_MM');
BEGIN
	IF to_regclass(name) IS NULL THEN
		BEGIN
			EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES FROM (%L) TO (%L)', name,
				to_char(month_start, 'YYYY-MM-DD"T00:00:00Z"'),
				to_char(month_start + interval '1 month', 'YYYY-MM-DD"T00:00:00Z"'));
		EXCEPTION WHEN duplicate_table OR unique_violation THEN
			NULL;
		END;
	END IF;
	RETURN name;
END
$$;
--> statement-breakpoint
SELECT "usage_events_partition"("month") FROM (SELECT DISTINCT date_trunc('month', "timestamp" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "month" FROM "usage_events_unpartitioned") AS "months";
--> statement-breakpoint
INSERT INTO "usage_events" SELECT * FROM "usage_events_unpartitioned";
--> statement-breakpoint
DROP TABLE "usage_events_unpartitioned";
