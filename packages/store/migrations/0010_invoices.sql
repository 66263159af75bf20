CREATE TABLE "invoices" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"id" text NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"subscription_id" text NOT NULL,
	"plan_key" text NOT NULL,
	"plan_version" integer NOT NULL,
	"currency" text NOT NULL,
	"lines" jsonb NOT NULL,
	"subtotal" bigint NOT NULL,
	"amount_due" bigint NOT NULL,
	"skip_billing" boolean NOT NULL,
	"status" text NOT NULL,
	"finalized_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invoices_pk" PRIMARY KEY("customer_id","env","period_start")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_id" ON "invoices" USING btree ("id");