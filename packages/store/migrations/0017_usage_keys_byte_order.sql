-- The usage tables' key columns compared byte by byte: their btrees take a row per event, and text in
-- the database's own collation is compared through the C library's strcoll. Only the indexes are
-- rebuilt (a collation change leaves the rows as they are); one ALTER a table rebuilds each once.
ALTER TABLE "usage_event_ids"
	ALTER COLUMN "customer_id" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "env" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "event_id" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "usage_events"
	ALTER COLUMN "customer_id" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "env" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "event_id" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "feature_key" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "usage_counters"
	ALTER COLUMN "customer_id" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "env" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "feature_key" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "scope_key" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "usage_unique_values"
	ALTER COLUMN "customer_id" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "env" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "feature_key" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "scope_key" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "value" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE "usage_hourly"
	ALTER COLUMN "customer_id" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "env" SET DATA TYPE text COLLATE "C",
	ALTER COLUMN "feature_key" SET DATA TYPE text COLLATE "C";
--> statement-breakpoint
-- Counters and hourly rollups are updated once a batch each: room left on their pages lets an update
-- stay on its row's page (a HOT update, which writes no index entry). With full pages, 1000-event
-- batches over 1000 customers updated 70–90 % of these rows off their page, each adding a key to the
-- primary key's btree; at fillfactor 50, 15–20 %. Pages written from now on keep the room.
ALTER TABLE "usage_counters" SET (fillfactor = 50);
--> statement-breakpoint
ALTER TABLE "usage_hourly" SET (fillfactor = 50);
