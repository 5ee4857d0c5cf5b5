-- A session keeps the model's llm and strategy prompt it was started with: the runner decides with these,
-- so editing the model no longer changes a session half-way (or a resumed one). Sessions of before: their
-- model's current ones, the best there is.
ALTER TABLE "trading_sessions" ADD COLUMN "llm" text;--> statement-breakpoint
ALTER TABLE "trading_sessions" ADD COLUMN "instructions" text;--> statement-breakpoint
UPDATE "trading_sessions" s SET "llm" = m."llm", "instructions" = m."instructions" FROM "models" m WHERE m."id" = s."model_id";--> statement-breakpoint
ALTER TABLE "trading_sessions" ALTER COLUMN "llm" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "trading_sessions" ALTER COLUMN "instructions" SET NOT NULL;
