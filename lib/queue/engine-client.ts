import type Anthropic from "@anthropic-ai/sdk";
import { isDemoModel } from "@/lib/agents/model-availability";
import { demoModelClient } from "@/lib/demo/model";
import { modelClientFromEnv } from "@/lib/engine/model-client";

/**
 * The client for a run's model: the offline demo model only for the demo agent's model; every other model
 * is the real one (ANTHROPIC_API_KEY), and without a key its run fails saying so — never a silent demo.
 */
export function engineClient(model: string): Anthropic {
  return isDemoModel(model) ? demoModelClient() : modelClientFromEnv();
}
