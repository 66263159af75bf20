CREATE TABLE "usage_counters" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"feature_key" text NOT NULL,
	"scope_key" text DEFAULT '' NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone,
	"used" numeric(38, 9) DEFAULT 0 NOT NULL,
	"latest_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_counters_pk" PRIMARY KEY("customer_id","env","feature_key","scope_key","window_start")
);
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
	"backfill" boolean DEFAULT false NOT NULL,
	CONSTRAINT "usage_events_pk" PRIMARY KEY("customer_id","env","event_id")
);
--> statement-breakpoint
CREATE TABLE "usage_hourly" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"feature_key" text NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"quantity" numeric(38, 9) DEFAULT 0 NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"max_quantity" numeric(38, 9) DEFAULT 0 NOT NULL,
	"first_seen" integer DEFAULT 0 NOT NULL,
	"latest_quantity" numeric(38, 9),
	"latest_at" timestamp with time zone,
	CONSTRAINT "usage_hourly_pk" PRIMARY KEY("customer_id","env","feature_key","hour_start")
);
--> statement-breakpoint
CREATE TABLE "usage_unique_values" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"feature_key" text NOT NULL,
	"scope_key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "usage_unique_values_pk" PRIMARY KEY("customer_id","env","feature_key","scope_key","window_start","value")
);
--> statement-breakpoint
CREATE INDEX "usage_events_feature_time" ON "usage_events" USING btree ("customer_id","env","feature_key","timestamp");