CREATE TABLE "seat_holdings" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"seat_id" text NOT NULL,
	"held_from" timestamp with time zone NOT NULL,
	"held_to" timestamp with time zone,
	CONSTRAINT "seat_holdings_pk" PRIMARY KEY("customer_id","env","seat_id","held_from")
);
--> statement-breakpoint
-- Seats held before this migration: the holding each row records (its latest one).
INSERT INTO "seat_holdings" ("customer_id", "env", "seat_id", "held_from", "held_to")
SELECT "customer_id", "env", "seat_id", "created_at", "removed_at" FROM "seats";
