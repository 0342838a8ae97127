ALTER TABLE "model_prices" ADD COLUMN "long_prompt_above_tokens" integer;--> statement-breakpoint
ALTER TABLE "model_prices" ADD COLUMN "long_input_per_mtok" numeric(12, 4);--> statement-breakpoint
ALTER TABLE "model_prices" ADD COLUMN "long_output_per_mtok" numeric(12, 4);--> statement-breakpoint
ALTER TABLE "model_prices" ADD COLUMN "long_cache_write_per_mtok" numeric(12, 4);--> statement-breakpoint
ALTER TABLE "model_prices" ADD COLUMN "long_cache_read_per_mtok" numeric(12, 4);--> statement-breakpoint
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_long_prompt_tier_whole" CHECK (num_nulls("model_prices"."long_prompt_above_tokens", "model_prices"."long_input_per_mtok", "model_prices"."long_output_per_mtok", "model_prices"."long_cache_write_per_mtok", "model_prices"."long_cache_read_per_mtok") in (0, 5));