import "server-only";
import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db";
import { type Agent, agents, modelPrices, tasks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/models/parse";
import { type AgentInput, type AgentValues, agentSchema } from "./schema";

const uuid = z.uuid();

export async function listAgents(actor: Actor): Promise<Agent[]> {
  authorize(actor, "team:read");
  const db = await getDb();
  return db.select().from(agents).where(eq(agents.teamId, actor.teamId)).orderBy(asc(agents.name));
}

/** One of the actor's team's agents; anything else (another team's, a malformed id) is not found. */
export async function getAgent(actor: Actor, id: string): Promise<Agent> {
  authorize(actor, "team:read");
  if (!uuid.safeParse(id).success) throw notFound("Agent");
  const db = await getDb();
  const [row] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.teamId, actor.teamId), eq(agents.id, id)));
  if (!row) throw notFound("Agent");
  return row;
}

export async function createAgent(actor: Actor, raw: AgentInput): Promise<Agent> {
  authorize(actor, "agents:write");
  const input = parseInput(agentSchema, raw);
  const db = await getDb();
  return db.transaction(async (tx) => {
    await checkAgent(tx, actor, input);
    const [row] = await tx
      .insert(agents)
      .values({ teamId: actor.teamId, createdBy: actor.userId, ...columns(input) })
      .returning();
    if (!row) throw new Error("agent insert returned nothing");
    await recordAudit(
      tx,
      actor,
      "agent.created",
      { type: "agent", id: row.id },
      { name: row.name, model: row.model },
    );
    return row;
  });
}

/** Replaces every field of the profile (the form sends them all). */
export async function updateAgent(actor: Actor, id: string, raw: AgentInput): Promise<Agent> {
  authorize(actor, "agents:write");
  const input = parseInput(agentSchema, raw);
  if (!uuid.safeParse(id).success) throw notFound("Agent");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(agents)
      .where(and(eq(agents.teamId, actor.teamId), eq(agents.id, id)))
      .for("update");
    if (!before) throw notFound("Agent");
    await checkAgent(tx, actor, input, id);
    const [row] = await tx
      .update(agents)
      .set({ ...columns(input), updatedAt: new Date() })
      .where(and(eq(agents.teamId, actor.teamId), eq(agents.id, id)))
      .returning();
    if (!row) throw notFound("Agent");
    await recordAudit(
      tx,
      actor,
      "agent.updated",
      { type: "agent", id },
      { name: row.name, changed: changedFields(before, row) },
    );
    return row;
  });
}

/** Deletes a profile no task refers to; tasks keep the agent that did them, so those block it. */
export async function deleteAgent(actor: Actor, id: string): Promise<void> {
  authorize(actor, "agents:write");
  if (!uuid.safeParse(id).success) throw notFound("Agent");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(agents)
      .where(and(eq(agents.teamId, actor.teamId), eq(agents.id, id)))
      .for("update");
    if (!row) throw notFound("Agent");
    const [used] = await tx
      .select({ n: count() })
      .from(tasks)
      .where(and(eq(tasks.teamId, actor.teamId), eq(tasks.agentId, id)));
    const n = used?.n ?? 0;
    if (n > 0) {
      throw conflict(
        `${row.name} can't be deleted: ${n} ${n === 1 ? "task refers" : "tasks refer"} to it. ` +
          "Tasks keep the agent that worked on them; edit this agent instead.",
      );
    }
    await tx.delete(agents).where(and(eq(agents.teamId, actor.teamId), eq(agents.id, id)));
    await recordAudit(
      tx,
      actor,
      "agent.deleted",
      { type: "agent", id },
      { name: row.name, model: row.model },
    );
  });
}

/** Rules that need the database: the name is free in the team, the model is in its catalogue. */
async function checkAgent(tx: Tx, actor: Actor, input: AgentValues, exceptId?: string) {
  const [taken] = await tx
    .select({ id: agents.id })
    .from(agents)
    .where(
      and(
        eq(agents.teamId, actor.teamId),
        sql`lower(${agents.name}) = lower(${input.name})`,
        exceptId ? ne(agents.id, exceptId) : undefined,
      ),
    );
  if (taken) throw conflict(`An agent named "${input.name}" already exists. Choose another name.`, "name");
  const [priced] = await tx
    .select({ model: modelPrices.model })
    .from(modelPrices)
    .where(and(eq(modelPrices.teamId, actor.teamId), eq(modelPrices.model, input.model)));
  if (!priced) {
    throw badRequest(
      `${input.model} isn't in your model catalogue. Choose one of its models, or ask an admin to add it.`,
      "model",
    );
  }
}

function columns(input: AgentValues) {
  return {
    name: input.name,
    model: input.model,
    systemPrompt: input.systemPrompt,
    maxSteps: input.maxSteps,
    maxCostUsd: input.maxCostUsd,
    maxDurationSec: input.maxDurationMinutes * 60,
    bashTimeoutSec: input.bashTimeoutSec,
    thinkingBudget: input.thinkingBudget,
    riskyPatterns: input.riskyPatterns,
    rules: input.rules,
    sandboxLimits: input.sandboxLimits,
    ...(input.maxConcurrentRuns !== null && { maxConcurrentRuns: input.maxConcurrentRuns }),
  };
}

const TRACKED = [
  "name",
  "model",
  "systemPrompt",
  "maxSteps",
  "maxCostUsd",
  "maxDurationSec",
  "bashTimeoutSec",
  "thinkingBudget",
  "riskyPatterns",
  "rules",
  "sandboxLimits",
  "maxConcurrentRuns",
] as const;

function changedFields(before: Agent, after: Agent): string[] {
  return TRACKED.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
