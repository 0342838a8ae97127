// Which agents can run right now: the demo agent's model always (it never leaves the process), every other
// model only with ANTHROPIC_API_KEY. Assigning work to an agent that can't run is refused up front.
import { DEMO_MODEL } from "@/lib/demo/script";
import { hasRealModel } from "@/lib/engine/model-client";
import { conflict } from "@/lib/errors";

export const isDemoModel = (model: string) => model === DEMO_MODEL;

/** Whether a run on this model can be executed: the demo model always, any other only with a key. */
export function modelCanRun(model: string, env: Record<string, string | undefined> = process.env): boolean {
  return isDemoModel(model) || hasRealModel(env);
}

/** Why an agent can't be given work now, or null when it can. */
export function agentUnavailableReason(agent: { name: string; model: string }): string | null {
  if (modelCanRun(agent.model)) return null;
  return `The agent "${agent.name}" runs on ${agent.model}, which needs an API key, and no ANTHROPIC_API_KEY is configured. Set ANTHROPIC_API_KEY and restart Foreman, or assign the Demo (offline) agent.`;
}

/** Throws a 409 naming ANTHROPIC_API_KEY when the agent's model can't be called. */
export function assertAgentCanRun(agent: { name: string; model: string }): void {
  const reason = agentUnavailableReason(agent);
  if (reason) throw conflict(reason);
}
