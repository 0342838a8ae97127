// Everything the loop needs about one run, loaded fresh from the database (a resumed run has no memory).
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, JUDGE_RUN_KIND, judgings, modelPrices, repositories, runs, tasks } from "@/db/schema";

export async function loadRunContext(runId: string) {
  const db = await getDb();
  // One statement: the run, its task, agent and repository, and the team's price for the run's model.
  const [row] = await db
    .select({ run: runs, task: tasks, agent: agents, repo: repositories, price: modelPrices })
    .from(runs)
    .innerJoin(tasks, eq(tasks.id, runs.taskId))
    .innerJoin(agents, eq(agents.id, runs.agentId))
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .leftJoin(modelPrices, and(eq(modelPrices.teamId, runs.teamId), eq(modelPrices.model, runs.model)))
    .where(eq(runs.id, runId));
  if (!row) throw new Error(`run ${runId} not found`);
  // A judge's run: the attempts it ranks (lib/compare/judge.ts).
  const [judging] =
    row.run.kind === JUDGE_RUN_KIND ? await db.select().from(judgings).where(eq(judgings.runId, runId)) : [];
  if (row.run.kind === JUDGE_RUN_KIND && !judging) throw new Error(`judge run ${runId} has no judging`);
  return { ...row, judging: judging ?? null };
}

export type RunContext = Awaited<ReturnType<typeof loadRunContext>>;

/** The attempt numbers a judge's run ranks; null for every other run. */
export function judgedAttempts(ctx: Pick<RunContext, "judging">): number[] | null {
  return ctx.judging ? ctx.judging.attempts.map((a) => a.index) : null;
}
