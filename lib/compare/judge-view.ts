// What the Compare view and the API show of a task's judge (lib/compare/judge.ts), and the judge's first
// pick that a promotion is measured against.
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { type Db, getDb, type Tx } from "@/db";
import { agents, type Judging, judgings, type Run, runs } from "@/db/schema";

export interface JudgeView {
  runId: string;
  agentName: string;
  model: string;
  status: Run["status"];
  error: string | null;
  costUsd: number;
  unpriced: boolean;
  steps: number;
  askedAt: Date;
  rankedAt: Date | null;
  summary: string | null;
  ranking: Judging["ranking"];
  /** Attempts whose head moved since the judge was shown them (its ranking may no longer hold). */
  movedSince: number[];
  /** Judges asked about this task in all (this one included). */
  count: number;
}

/** The task's latest judge, if one was asked; `heads` are the attempts' heads now (branch → sha). */
export async function latestJudge(
  teamId: string,
  taskId: string,
  heads: Map<string, string | null>,
): Promise<JudgeView | null> {
  const db = await getDb();
  const rows = await db
    .select({ judging: judgings, run: runs, agentName: agents.name })
    .from(judgings)
    .innerJoin(runs, eq(runs.id, judgings.runId))
    .innerJoin(agents, eq(agents.id, runs.agentId))
    .where(and(eq(judgings.taskId, taskId), eq(judgings.teamId, teamId)))
    .orderBy(desc(judgings.createdAt));
  const latest = rows[0];
  if (!latest) return null;
  const { judging, run } = latest;
  return {
    runId: run.id,
    agentName: latest.agentName,
    model: run.model,
    status: run.status,
    error: run.error,
    costUsd: run.costUsd,
    unpriced: run.unpriced,
    steps: run.steps,
    askedAt: judging.createdAt,
    rankedAt: judging.rankedAt,
    summary: judging.summary,
    ranking: judging.ranking,
    movedSince: judging.attempts.filter((a) => heads.get(a.branch) !== a.headSha).map((a) => a.index),
    count: rows.length,
  };
}

/** The branch the task's latest ranking put first (null: no judge has ranked its attempts). */
export async function judgeFirstPick(db: Db | Tx, taskId: string): Promise<string | null> {
  const [row] = await db
    .select({ branch: judgings.firstPickBranch })
    .from(judgings)
    .where(and(eq(judgings.taskId, taskId), isNotNull(judgings.rankedAt)))
    .orderBy(desc(judgings.rankedAt))
    .limit(1);
  return row?.branch ?? null;
}
