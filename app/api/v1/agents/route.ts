import { AGENT_DEFAULTS, type AgentInput, DEFAULT_RISKY_PATTERNS, DEFAULT_RULES } from "@/lib/agents/schema";
import { createAgent, listAgents } from "@/lib/agents/service";
import { apiRoute, created, readJson } from "@/lib/api/route";
import { serializeAgent } from "@/lib/api/serialize";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => ({ agents: (await listAgents(actor)).map(serializeAgent) }));

// A field left out gets what the new-agent form starts with (the default risky patterns included);
// an explicit empty list means none.
const DEFAULTS = {
  maxSteps: AGENT_DEFAULTS.maxSteps,
  maxCostUsd: AGENT_DEFAULTS.maxCostUsd,
  maxDurationMinutes: AGENT_DEFAULTS.maxDurationMinutes,
  riskyPatterns: DEFAULT_RISKY_PATTERNS,
  rules: DEFAULT_RULES,
};

/** {name, model, systemPrompt?, maxSteps?, maxCostUsd?, maxDurationMinutes?, riskyPatterns?, rules?, sandboxLimits?, …} */
export const POST = apiRoute(async ({ actor, request }) => {
  const body = await readJson(request);
  const agent = await createAgent(actor, { ...DEFAULTS, ...body } as AgentInput);
  return created({ agent: serializeAgent(agent) });
});
