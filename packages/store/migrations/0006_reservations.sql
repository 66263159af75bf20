CREATE TABLE "reservations" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"id" text NOT NULL,
	"feature_key" text NOT NULL,
	"scope_key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone,
	"quantity" numeric(38, 9) NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"committed_quantity" numeric(38, 9),
	"workspace_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "reservations_pk" PRIMARY KEY("customer_id","env","id")
);
--> statement-breakpoint
CREATE INDEX "reservations_held_expiry" ON "reservations" USING btree ("expires_at") WHERE status = 'held';