// Best-of-N fixtures: one task given to two agents, each attempt committed on its own branch with real git.
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, repositories, runs, tasks } from "@/db/schema";
import { createTask } from "@/lib/tasks/service";
import { teamAdmin } from "./fixtures";
import { commitStep, endRun } from "./review-fixtures";

/** Two agents edit the same shared file differently (a conflict) and each adds a file of its own. */
export async function twoAttempts(source: string) {
  const admin = await teamAdmin();
  const db = await getDb();
  const suffix = Math.random().toString(36).slice(2, 8);
  const [repo] = await db
    .insert(repositories)
    .values({ teamId: admin.teamId, name: `cmp-${suffix}`, source, defaultBranch: "main" })
    .returning();
  const made = await db
    .insert(agents)
    .values([
      { teamId: admin.teamId, name: `Claude ${suffix}`, model: "claude-haiku-4-5" },
      { teamId: admin.teamId, name: `Gemini ${suffix}`, model: "claude-sonnet-4-5" },
    ])
    .returning();
  const claude = made.find((a) => a.name.startsWith("Claude"));
  const gemini = made.find((a) => a.name.startsWith("Gemini"));
  if (!repo || !claude || !gemini) throw new Error("fixture insert failed");
  const { task, runs: [first, second] = [] } = await createTask(admin, {
    title: `Compare ${suffix}`,
    prompt: "Say hello.",
    repoId: repo.id,
    agentId: claude.id,
    alsoAgentIds: [gemini.id],
  });
  if (!first || !second) throw new Error("two runs expected");
  const repoRef = { id: repo.id, source };
  const shared = `shared-${suffix}.txt`;
  const heads = {
    claude: await commitStep(repoRef, first, {
      files: { [shared]: "hello from claude\n", [`claude-${suffix}.txt`]: "a\nb\nc\n" },
    }),
    gemini: await commitStep(repoRef, second, { files: { [shared]: "hello from gemini\nsecond line\n" } }),
  };
  await db
    .update(runs)
    .set({ steps: 3, costUsd: 0.0123, verifyExitCode: 0, verifyOutput: "ok" })
    .where(eq(runs.id, first.id));
  await db
    .update(runs)
    .set({ steps: 5, costUsd: 0.5, verifyExitCode: 1, verifyOutput: "1 failed" })
    .where(eq(runs.id, second.id));
  return { admin, db, repo, repoId: repo.id, task, claude: first, gemini: second, heads, suffix, shared };
}

export async function finishAttempts(t: Awaited<ReturnType<typeof twoAttempts>>) {
  await endRun(t.claude.id);
  await endRun(t.gemini.id);
  await t.db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, t.task.id));
}
