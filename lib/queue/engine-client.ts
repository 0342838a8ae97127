import type Anthropic from "@anthropic-ai/sdk";
import { demoFetch } from "@/lib/demo/model";
import { modelClientFromEnv } from "@/lib/engine/model-client";

/** The real model when ANTHROPIC_API_KEY is set, otherwise the offline demo model over the same SDK. */
export function engineClient(): Anthropic {
  return modelClientFromEnv({ demoFetch });
}
