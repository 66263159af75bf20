CREATE TABLE "credit_grants" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"id" text NOT NULL,
	"grant_key" text,
	"source" text NOT NULL,
	"amount" numeric(38, 9) NOT NULL,
	"remaining" numeric(38, 9) NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"expires_at" timestamp with time zone,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "credit_grants_pk" PRIMARY KEY("customer_id","env","id")
);
--> statement-breakpoint
CREATE TABLE "credit_ledger" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"id" bigserial NOT NULL,
	"grant_id" text NOT NULL,
	"kind" text NOT NULL,
	"amount" numeric(38, 9) NOT NULL,
	"feature" text,
	"event_id" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "credit_ledger_pk" PRIMARY KEY("customer_id","env","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "credit_grants_key" ON "credit_grants" USING btree ("customer_id","env","grant_key");--> statement-breakpoint
CREATE INDEX "credit_ledger_grant" ON "credit_ledger" USING btree ("customer_id","env","grant_id");--> statement-breakpoint
CREATE TRIGGER credit_ledger_append_only BEFORE UPDATE OR DELETE ON credit_ledger
  FOR EACH ROW EXECUTE FUNCTION tollgate_refuse_change();
--> statement-breakpoint
CREATE TRIGGER credit_ledger_no_truncate BEFORE TRUNCATE ON credit_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION tollgate_refuse_change();
