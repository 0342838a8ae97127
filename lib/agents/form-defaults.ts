import type { Agent } from "@/db/schema";
import { AGENT_DEFAULTS, DEFAULT_RISKY_PATTERNS, DEFAULT_RULES } from "./schema";

/** What the agent form starts with; only these fields of a profile cross to the browser. */
export type AgentFormDefaults = Pick<
  Agent,
  | "name"
  | "model"
  | "systemPrompt"
  | "maxSteps"
  | "maxCostUsd"
  | "maxDurationSec"
  | "bashTimeoutSec"
  | "thinkingBudget"
  | "riskyPatterns"
  | "rules"
  | "sandboxLimits"
  | "maxConcurrentRuns"
> & { id?: string };

export function newAgentDefaults(model: string): AgentFormDefaults {
  return {
    name: "",
    model,
    systemPrompt: "",
    maxSteps: AGENT_DEFAULTS.maxSteps,
    maxCostUsd: AGENT_DEFAULTS.maxCostUsd,
    maxDurationSec: AGENT_DEFAULTS.maxDurationMinutes * 60,
    bashTimeoutSec: AGENT_DEFAULTS.bashTimeoutSec,
    thinkingBudget: null,
    riskyPatterns: DEFAULT_RISKY_PATTERNS,
    rules: DEFAULT_RULES,
    sandboxLimits: {},
    maxConcurrentRuns: AGENT_DEFAULTS.maxConcurrentRuns,
  };
}

export function agentFormDefaults(agent: Agent): AgentFormDefaults {
  return {
    id: agent.id,
    name: agent.name,
    model: agent.model,
    systemPrompt: agent.systemPrompt,
    maxSteps: agent.maxSteps,
    maxCostUsd: agent.maxCostUsd,
    maxDurationSec: agent.maxDurationSec,
    bashTimeoutSec: agent.bashTimeoutSec,
    thinkingBudget: agent.thinkingBudget,
    riskyPatterns: agent.riskyPatterns,
    rules: agent.rules,
    sandboxLimits: agent.sandboxLimits,
    maxConcurrentRuns: agent.maxConcurrentRuns,
  };
}
