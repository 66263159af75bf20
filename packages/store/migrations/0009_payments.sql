CREATE TABLE "provider_events" (
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"customer_id" text,
	"env" text,
	"outcome" text NOT NULL,
	"detail" text,
	CONSTRAINT "provider_events_pk" PRIMARY KEY("provider","event_id")
);
--> statement-breakpoint
CREATE TABLE "provider_subscriptions" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"provider" text NOT NULL,
	"provider_subscription_id" text NOT NULL,
	"status" text NOT NULL,
	"price_id" text,
	"quantity" integer,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"last_event_at" timestamp with time zone NOT NULL,
	"payment_state" text DEFAULT 'ok' NOT NULL,
	"past_due_since" timestamp with time zone,
	"grace_ends_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "provider_subscriptions_pk" PRIMARY KEY("customer_id","env","provider","provider_subscription_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "provider_subscriptions_by_id" ON "provider_subscriptions" USING btree ("provider","provider_subscription_id");