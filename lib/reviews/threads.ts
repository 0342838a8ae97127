// What the review page shows with each comment beyond its text: where it sits in the branch as it is now
// (re-anchored when its lines moved, outdated when the agent changed them), and the agent's answer — the
// summary of the follow-up run the comment was sent to.
import { and, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { type ReviewComment, runEvents, runs } from "@/db/schema";
import { type RepoRef, readFileAt } from "@/lib/git/diff";
import { type Anchor, anchorComment } from "./anchor";

export interface CommentAnswer {
  runId: string;
  status: string;
  outcome: string | null;
  /** What the run said when it ended: agent-written text, rendered as Markdown (never as HTML). */
  summary: string | null;
  finishedAt: Date | null;
}

/** The follow-up runs comments were answered by: their status and, once ended, their summary. */
async function answersOf(runIds: string[]): Promise<Map<string, CommentAnswer>> {
  const answers = new Map<string, CommentAnswer>();
  if (runIds.length === 0) return answers;
  const db = await getDb();
  const [rows, finished] = await Promise.all([
    db
      .select({ id: runs.id, status: runs.status, outcome: runs.outcome, finishedAt: runs.finishedAt })
      .from(runs)
      .where(inArray(runs.id, runIds)),
    db
      .select({ runId: runEvents.runId, payload: runEvents.payload })
      .from(runEvents)
      .where(and(inArray(runEvents.runId, runIds), eq(runEvents.type, "run_finished")))
      .orderBy(desc(runEvents.seq)),
  ]);
  const summaries = new Map<string, string>();
  for (const event of finished) {
    const summary = event.payload.summary;
    if (typeof summary === "string" && summary.trim() && !summaries.has(event.runId)) {
      summaries.set(event.runId, summary);
    }
  }
  for (const run of rows) {
    answers.set(run.id, {
      runId: run.id,
      status: run.status,
      outcome: run.outcome,
      summary: summaries.get(run.id) ?? null,
      finishedAt: run.finishedAt,
    });
  }
  return answers;
}

/**
 * Each comment with its anchor in the file at `headSha` (the head of the diff shown) and its answer.
 * Comments on removed lines ("old") live in the base's file, which the agent doesn't change: they stay.
 */
export async function threadComments<C extends ReviewComment>(
  repo: RepoRef,
  headSha: string | null,
  comments: C[],
): Promise<
  Array<
    C & { anchor: Anchor; originalLineStart: number; originalLineEnd: number; answer: CommentAnswer | null }
  >
> {
  const texts = new Map<string, string | null>();
  if (headSha) {
    const paths = new Set(
      comments
        .filter((c) => c.side === "new" && c.lineText !== null && c.commitSha !== headSha)
        .map((c) => c.path),
    );
    for (const path of paths) texts.set(path, await readFileAt(repo, headSha, path));
  }
  const answers = await answersOf([
    ...new Set(comments.map((c) => c.answeredByRunId).filter((id) => id !== null)),
  ]);
  return comments.map((c) => {
    const here: Anchor = { state: "current", lineStart: c.lineStart, lineEnd: c.lineEnd };
    const anchor =
      texts.has(c.path) && c.side === "new" && c.commitSha !== headSha
        ? anchorComment(c, texts.get(c.path) ?? null)
        : here;
    return {
      ...c,
      // The page places a comment by lineStart/lineEnd: a moved comment shows at its new lines.
      lineStart: anchor.lineStart,
      lineEnd: anchor.lineEnd,
      originalLineStart: c.lineStart,
      originalLineEnd: c.lineEnd,
      anchor,
      answer: c.answeredByRunId ? (answers.get(c.answeredByRunId) ?? null) : null,
    };
  });
}
