CREATE TABLE "enforcement_log" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"id" bigserial NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"feature" text NOT NULL,
	"event_id" text,
	"reason" text NOT NULL,
	"decision" jsonb NOT NULL,
	CONSTRAINT "enforcement_log_pk" PRIMARY KEY("customer_id","env","id")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"seq" bigserial NOT NULL,
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"event_key" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "outbox_pk" PRIMARY KEY("customer_id","env","event_key")
);
--> statement-breakpoint
CREATE INDEX "outbox_undelivered" ON "outbox" USING btree ("seq") WHERE delivered_at IS NULL;--> statement-breakpoint
CREATE TRIGGER enforcement_log_append_only BEFORE UPDATE OR DELETE ON enforcement_log
  FOR EACH ROW EXECUTE FUNCTION tollgate_refuse_change();
--> statement-breakpoint
CREATE TRIGGER enforcement_log_no_truncate BEFORE TRUNCATE ON enforcement_log
  FOR EACH STATEMENT EXECUTE FUNCTION tollgate_refuse_change();
