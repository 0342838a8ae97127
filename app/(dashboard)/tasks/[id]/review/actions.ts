"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/actions/authed-action";
import { currentActor } from "@/lib/auth/session";
import { conflict } from "@/lib/errors";
import { answerAgent } from "@/lib/reviews/answer";
import { addComment, deleteComment, editComment } from "@/lib/reviews/comments";
import { mergeTask } from "@/lib/reviews/merge";
import { type LineProvenance, lineProvenance } from "@/lib/reviews/queries";
import { commentSchema } from "@/lib/reviews/schema";
import { approveTask, askAgentToResolve, discardTask, requestChanges } from "@/lib/reviews/service";
import { setTaskReviewer } from "@/lib/tasks/reviewer";

const taskId = z.string().min(1);

function refresh(id: string) {
  revalidatePath(`/tasks/${id}/review`);
  revalidatePath(`/tasks/${id}`);
}

export const addCommentAction = authedAction(
  z.object({
    taskId,
    runId: z.string().optional(),
    path: z.string(),
    side: z.enum(["old", "new"]).optional(),
    lineStart: z.string(),
    lineEnd: z.string().optional(),
    body: z.string(),
  }),
  "tasks:review",
  async ({ taskId, runId, ...comment }, actor) => {
    const saved = await addComment(actor, taskId, commentSchema.parse(comment), { runId });
    refresh(taskId);
    return { id: saved.id };
  },
  "Comment saved as a draft. It goes to the agent when you request changes.",
);

export const deleteCommentAction = authedAction(
  z.object({ taskId, commentId: z.string().min(1) }),
  "tasks:review",
  async ({ taskId, commentId }, actor) => {
    await deleteComment(actor, commentId);
    refresh(taskId);
  },
  "Draft comment deleted.",
);

export const editCommentAction = authedAction(
  z.object({ taskId, commentId: z.string().min(1), body: z.string() }),
  "tasks:review",
  async ({ taskId, commentId, body }, actor) => {
    await editComment(actor, commentId, { body });
    refresh(taskId);
  },
  "Draft comment updated.",
);

/** Which agent's branch the page shows: decisions act on it. */
const runId = z.string().optional();

export const requestChangesAction = authedAction(
  z.object({ taskId, runId, body: z.string().optional() }),
  "tasks:review",
  async ({ taskId, runId, body }, actor) => {
    const { comments, task } = await requestChanges(actor, taskId, { body, runId });
    refresh(taskId);
    // The status lets the page toast only once it shows it (review-actions.tsx).
    return { count: comments.length, status: task.status };
  },
  ({ count }) =>
    `Changes requested: ${count === 0 ? "your note" : `${count} ${count === 1 ? "comment" : "comments"}`} sent to the agent.`,
);

export const answerAction = authedAction(
  z.object({ taskId, runId, answer: z.string() }),
  "tasks:review",
  async ({ taskId, runId, answer }, actor) => {
    await answerAgent(actor, taskId, { answer, runId });
    refresh(taskId);
  },
  "Answer sent: the agent continues on the same branch.",
);

export const approveAction = authedAction(
  z.object({ taskId, runId, body: z.string().optional() }),
  "tasks:review",
  async ({ taskId, runId, body }, actor) => {
    const task = await approveTask(actor, taskId, { runId, body });
    refresh(taskId);
    return { status: task.status };
  },
  "Approved. It can be merged now.",
);

export const mergeAction = authedAction(
  z.object({ taskId, runId, verify: z.string().optional(), fixOnFailure: z.string().optional() }),
  "tasks:merge",
  async ({ taskId, runId, verify, fixOnFailure }, actor) => {
    const result = await mergeTask(actor, taskId, {
      verify: verify === "on",
      fixOnFailure: fixOnFailure === "on",
      runId,
    });
    refresh(taskId);
    if (result.status === "conflict") {
      throw conflict(
        `Merge conflict in ${result.files.join(", ")}. Nothing changed in ${result.task.baseBranch}.`,
      );
    }
    if (result.status === "verification_failed") {
      throw conflict(
        `The tests failed on the merged result (exit ${result.exitCode ?? "timeout"}). Nothing was merged.`,
      );
    }
    if (result.status === "queued") {
      return { queued: result.position, base: result.task.baseBranch, sha: "", closed: 0 };
    }
    return { queued: 0, sha: result.sha, base: result.task.baseBranch, closed: result.closedBranches.length };
  },
  ({ queued, sha, base, closed }) =>
    queued > 0
      ? `Queued to merge into ${base} (position ${queued}). It lands when the merges ahead of it have.`
      : `Merged into ${base} (${sha.slice(0, 7)}).${closed > 0 ? ` ${closed === 1 ? "The other agent's branch was" : `The ${closed} other agents' branches were`} closed.` : ""}`,
);

export const discardAction = authedAction(
  z.object({ taskId }),
  "tasks:merge",
  async ({ taskId }, actor) => {
    const { keptBranches } = await discardTask(actor, taskId);
    refresh(taskId);
    return { keptBranches };
  },
  ({ keptBranches }) =>
    keptBranches.length === 0
      ? "Task discarded and its branch deleted."
      : `Task discarded. The repository kept ${keptBranches.join(", ")} (checked out there).`,
);

export const resolveAction = authedAction(
  z.object({ taskId }),
  "tasks:review",
  async ({ taskId }, actor) => {
    await askAgentToResolve(actor, taskId);
    refresh(taskId);
  },
  "The agent is merging the base branch and resolving the conflicts.",
);

export const setReviewerAction = authedAction(
  z.object({ taskId, reviewerId: z.string().optional() }),
  "tasks:assign",
  async ({ taskId, reviewerId }, actor) => {
    const task = await setTaskReviewer(actor, taskId, { reviewerId: reviewerId || null });
    refresh(taskId);
    return { named: Boolean(task.reviewerId) };
  },
  ({ named }) => (named ? "Reviewer set: it's in their inbox now." : "Nobody is named to review this task."),
);

/** Which step wrote a line: read on line selection. */
export async function lineProvenanceAction(
  id: string,
  path: string,
  line: number,
  runId: string | null,
): Promise<LineProvenance | null> {
  const actor = await currentActor();
  if (!actor) return null;
  return lineProvenance(actor, id, { path, line, runId: runId ?? undefined }).catch(() => null);
}
