// What the Compare view reads for a task given to several agents: each attempt (one agent's line of
// runs on its own branch) side by side — its facts, its diff against the base — the diff between any two
// attempts, and the conflicts predicted between them. All git is read in Foreman's own clone.
import { and, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, isActiveRun, type Run, repositories, runEvents, type Task, tasks } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { predictOverlaps } from "@/lib/conflicts/predict";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { archivedBranchHead } from "@/lib/git/branches";
import { type BranchDiff, diffCommits, readyClone, resolveBranch } from "@/lib/git/diff";
import { git } from "@/lib/git/runner";
import { isUuid } from "@/lib/ids";
import { lineOfRun, type RunLine } from "@/lib/reviews/lines";
import { loadLines } from "@/lib/reviews/load";
import { taskVersion } from "@/lib/tasks/version";
import { latestJudge } from "./judge-view";

export type Verification = "passed" | "failed" | "timed_out" | "not_run";

export interface Attempt {
  /** 1-based, in the order the review page lists the lines: the label "Attempt 2". */
  index: number;
  branch: string;
  /** The line's latest run: the id that names the attempt (any run of the line is accepted). */
  runId: string;
  agentId: string;
  agentName: string;
  model: string;
  status: Run["status"];
  outcome: Run["outcome"];
  outcomeReason: string | null;
  runCount: number;
  steps: number;
  costUsd: number;
  unpriced: boolean;
  durationMs: number;
  verification: Verification;
  verifyExitCode: number | null;
  summary: string | null;
  /** The attempt's last commit (null: nothing was ever committed). */
  headSha: string | null;
  diff: BranchDiff | null;
  diffError: string | null;
  additions: number;
  deletions: number;
  promoted: boolean;
  merged: boolean;
  /** Another attempt was promoted or merged: this one's branch was closed. */
  closed: boolean;
}

export interface AttemptOverlap {
  a: string;
  b: string;
  /** Files both attempts change. */
  files: string[];
  /** Files that would conflict if both merged (empty: they merge cleanly). */
  conflicts: string[];
}

async function loadTask(actor: Actor, taskId: string) {
  authorize(actor, "team:read");
  if (!isUuid(taskId)) throw notFound("Task");
  const db = await getDb();
  const [row] = await db
    .select({ task: tasks, repo: repositories })
    .from(tasks)
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .where(and(eq(tasks.id, taskId), eq(tasks.teamId, actor.teamId)));
  if (!row) throw notFound("Task");
  return { ...row, ...(await loadLines(db, row.task)) };
}

/** A commit the clone still has (a closed branch's commits stay until git collects them). */
async function existing(clone: string, sha: string | null | undefined): Promise<string | null> {
  if (!sha || !/^[0-9a-f]{40}$/.test(sha)) return null;
  const found = await git(["cat-file", "-e", `${sha}^{commit}`], { gitDir: clone }).then(
    () => true,
    () => false,
  );
  return found ? sha : null;
}

/**
 * The attempt's head: its branch; after a merge, the merged head; once closed, its archived head
 * (lib/git/branches.ts), else its last checkpoint.
 */
async function headOf(clone: string, task: Task, line: RunLine): Promise<string | null> {
  if (task.mergedBranch === line.branch && task.mergedHeadSha) return existing(clone, task.mergedHeadSha);
  const live =
    (await resolveBranch(clone, line.branch)) ?? (await archivedBranchHead(clone, task.id, line.branch));
  if (live) return live;
  const db = await getDb();
  const [checkpoint] = await db
    .select({ payload: runEvents.payload })
    .from(runEvents)
    .where(
      and(
        inArray(
          runEvents.runId,
          line.runs.map((r) => r.id),
        ),
        eq(runEvents.type, "checkpoint"),
      ),
    )
    .orderBy(desc(runEvents.createdAt), desc(runEvents.seq))
    .limit(1);
  return existing(clone, checkpoint ? String(checkpoint.payload.sha) : null);
}

/** The base every attempt is measured against: the base branch, or as it was before the merge. */
async function baseOf(clone: string, task: Task): Promise<string | null> {
  if (task.mergeSha)
    return existing(
      clone,
      (await git(["rev-parse", `${task.mergeSha}^1`], { gitDir: clone }).catch(() => null))?.stdout.trim(),
    );
  return resolveBranch(clone, task.baseBranch);
}

function verificationOf(runs: Run[]): { verification: Verification; verifyExitCode: number | null } {
  // The newest run of the line that ran the tests (a follow-up that changed nothing did not).
  const verified = runs.find((r) => r.verifyExitCode !== null || r.verifyOutput !== null);
  if (!verified) return { verification: "not_run", verifyExitCode: null };
  if (verified.verifyExitCode === null) return { verification: "timed_out", verifyExitCode: null };
  return {
    verification: verified.verifyExitCode === 0 ? "passed" : "failed",
    verifyExitCode: verified.verifyExitCode,
  };
}

async function summariesOf(runIds: string[]): Promise<Map<string, string>> {
  const db = await getDb();
  if (runIds.length === 0) return new Map();
  const rows = await db
    .select({ runId: runEvents.runId, payload: runEvents.payload })
    .from(runEvents)
    .where(and(inArray(runEvents.runId, runIds), eq(runEvents.type, "run_finished")))
    .orderBy(desc(runEvents.seq));
  const out = new Map<string, string>();
  for (const row of rows) {
    const summary = row.payload.summary;
    if (!out.has(row.runId) && typeof summary === "string" && summary.trim()) out.set(row.runId, summary);
  }
  return out;
}

export async function getCompare(actor: Actor, taskId: string) {
  const { task, repo, runs: taskRuns, lines } = await loadTask(actor, taskId);
  const db = await getDb();
  const agentRows = await db
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .where(inArray(agents.id, [...new Set(lines.map((l) => l.agentId))].concat(task.agentId)));
  const agentName = new Map(agentRows.map((a) => [a.id, a.name]));
  const summaries = await summariesOf(lines.map((l) => l.latest.id));
  let clone: string | null = null;
  let gitError: string | null = null;
  try {
    clone = await readyClone(repo);
  } catch (error) {
    gitError = error instanceof Error ? error.message : String(error);
  }
  const base = clone ? await baseOf(clone, task) : null;
  const chosen = task.mergedBranch ?? task.promotedBranch;

  const attempts: Attempt[] = [];
  for (const [i, line] of lines.entries()) {
    const head = clone ? await headOf(clone, task, line) : null;
    let diff: BranchDiff | null = null;
    let diffError: string | null = gitError;
    if (clone && head && base) {
      try {
        const mergeBase = (await git(["merge-base", base, head], { gitDir: clone })).stdout.trim();
        diff = await diffCommits(clone, mergeBase, head);
      } catch (error) {
        diffError = error instanceof Error ? error.message : String(error);
      }
    } else if (clone && !head) {
      diffError = "This attempt committed nothing.";
    } else if (clone && !base) {
      diffError = `The base branch '${task.baseBranch}' no longer exists in the repository.`;
    }
    const latest = line.latest;
    attempts.push({
      index: i + 1,
      branch: line.branch,
      runId: latest.id,
      agentId: line.agentId,
      agentName: agentName.get(line.agentId) ?? "Former agent",
      model: latest.model,
      status: latest.status,
      outcome: latest.outcome,
      outcomeReason: latest.outcomeReason,
      runCount: line.runs.length,
      steps: line.runs.reduce((sum, r) => sum + r.steps, 0),
      costUsd: line.runs.reduce((sum, r) => sum + r.costUsd, 0),
      unpriced: line.runs.some((r) => r.unpriced),
      durationMs: line.runs.reduce(
        (sum, r) => sum + (r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : 0),
        0,
      ),
      ...verificationOf(line.runs),
      summary: summaries.get(latest.id) ?? null,
      headSha: head,
      diff,
      diffError,
      additions: diff?.files.reduce((sum, f) => sum + f.additions, 0) ?? 0,
      deletions: diff?.files.reduce((sum, f) => sum + f.deletions, 0) ?? 0,
      promoted: task.promotedBranch === line.branch,
      merged: task.mergedBranch === line.branch,
      closed: Boolean(chosen) && chosen !== line.branch,
    });
  }

  // Computed here, on demand: the background refresh never compares attempts at the same task.
  let overlaps: AttemptOverlap[] = [];
  if (clone && base) {
    const heads = attempts.flatMap((a) => (a.headSha ? [{ owner: a.branch, sha: a.headSha }] : []));
    overlaps = (await predictOverlaps(clone, base, heads).catch(() => [])).map((o) => ({
      a: o.a.owner,
      b: o.b.owner,
      files: o.files,
      conflicts: o.conflicts,
    }));
  }

  const judge = await latestJudge(actor.teamId, task.id, new Map(attempts.map((a) => [a.branch, a.headSha])));

  return {
    task: {
      id: task.id,
      number: task.number,
      title: task.title,
      status: task.status,
      baseBranch: task.baseBranch,
      promotedBranch: task.promotedBranch,
      promotedAt: task.promotedAt,
      mergedBranch: task.mergedBranch,
    },
    attempts,
    overlaps,
    /** The latest judge asked to rank the attempts, if any (lib/compare/judge.ts). */
    judge,
    anyRunActive: taskRuns.some(isActiveRun),
    /** What the live watcher compares with (lib/tasks/version.ts). */
    version: taskVersion(task, taskRuns),
    totalCostUsd: taskRuns.reduce((sum, r) => sum + r.costUsd, 0),
  };
}

export type CompareData = Awaited<ReturnType<typeof getCompare>>;

/** The diff from attempt `a` to attempt `b` (each named by any run of its line): `git diff A_head B_head`. */
export async function diffBetweenAttempts(
  actor: Actor,
  taskId: string,
  input: { a: string; b: string },
): Promise<BranchDiff & { a: string; b: string }> {
  const { task, repo, lines } = await loadTask(actor, taskId);
  const pick = (runId: string, field: "a" | "b") => {
    const line = isUuid(runId) ? lineOfRun(lines, runId) : undefined;
    if (!line) throw badRequest("Choose an attempt of this task.", field);
    return line;
  };
  const a = pick(input.a, "a");
  const b = pick(input.b, "b");
  if (a.branch === b.branch) throw badRequest("Choose two different attempts.", "b");
  const clone = await readyClone(repo);
  const [headA, headB] = await Promise.all([headOf(clone, task, a), headOf(clone, task, b)]);
  if (!headA || !headB) {
    throw conflict(`${headA ? b.branch : a.branch} has no commit to compare.`);
  }
  return { ...(await diffCommits(clone, headA, headB)), a: a.branch, b: b.branch };
}
