CREATE TABLE "seats" (
	"customer_id" text NOT NULL,
	"env" text NOT NULL,
	"seat_id" text NOT NULL,
	"role" text NOT NULL,
	"environment" text,
	"email" text,
	"created_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "seats_pk" PRIMARY KEY("customer_id","env","seat_id")
);
