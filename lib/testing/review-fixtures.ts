// Review tests without the model: a run's step as the engine leaves it — files changed in the run's own
// worktree, a checkpoint commit pushed to the source, the checkpoint event — on real git and the real db.
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { type Run, runEvents, runs } from "@/db/schema";
import { pushBranch } from "@/lib/git/clone";
import { checkpointCommit, prepareRunRepo, removeRunRepo } from "@/lib/git/run-repo";

/**
 * One checkpointed step of `run`: writes `files` (null deletes one), after `before` ran in the worktree
 * (e.g. a git merge), and records the checkpoint as the engine does. Returns the commit.
 */
export async function commitStep(
  repo: { id: string; source: string },
  run: Pick<Run, "id" | "teamId" | "branch">,
  options: {
    files: Record<string, string | null>;
    baseBranch?: string;
    step?: number;
    before?: (dir: string) => void | Promise<void>;
  },
): Promise<string> {
  const wt = await prepareRunRepo({
    repo,
    runId: run.id,
    branch: run.branch,
    baseBranch: options.baseBranch ?? "main",
  });
  await options.before?.(wt.workTree);
  for (const [name, text] of Object.entries(options.files)) {
    const file = path.join(wt.workTree, name);
    if (text === null) fs.rmSync(file);
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
  const step = options.step ?? 1;
  const commit = await checkpointCommit(wt, {
    message: `Step ${step}`,
    authorName: "Agent",
    authorEmail: "agent@foreman.local",
  });
  if (!commit) throw new Error("the step changed nothing");
  await pushBranch(repo, run.branch);
  await removeRunRepo(run.id);
  const db = await getDb();
  const [bumped] = await db
    .update(runs)
    .set({ lastSeq: sql`${runs.lastSeq} + 1` })
    .where(eq(runs.id, run.id))
    .returning({ seq: runs.lastSeq });
  await db.insert(runEvents).values({
    runId: run.id,
    seq: bumped?.seq ?? 1,
    teamId: run.teamId,
    type: "checkpoint",
    payload: { step, ...commit },
  });
  return commit.sha;
}

/** The run ended (as the engine would end it), at `finishedAt`. */
export async function endRun(
  runId: string,
  options: { status?: Run["status"]; finishedAt?: Date } = {},
): Promise<void> {
  const db = await getDb();
  await db
    .update(runs)
    .set({
      status: options.status ?? "succeeded",
      startedAt: sql`coalesce(${runs.startedAt}, now())`,
      finishedAt: options.finishedAt ?? new Date(),
    })
    .where(eq(runs.id, runId));
}
