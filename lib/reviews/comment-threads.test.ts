// Comments as a pull request's: drafts their author can edit (and delete), immutable once sent; the
// follow-up run that answers them, linked and threaded; their anchors in the agent's next revision.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { reviewComments, reviews } from "@/db/schema";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRun } from "@/lib/queue/claim";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { teamMember } from "@/lib/testing/fixtures";
import { addComment, deleteComment, editComment } from "./comments";
import { getReview } from "./queries";
import { approveTask, requestChanges } from "./service";

const MATH =
  "export function add(a, b) {\n  return a - b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n";

let h: EngineSetup | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

/** A finished first run that changed line 2 and line 6 of src/math.js: lines 1–7 are in the diff. */
async function reviewed() {
  h = await engineSetup({ files: { "src/math.js": MATH }, testCommand: "" });
  h.fake.enqueue(
    fakeToolUse("bash", { command: "sed -i 's/a - b/a + b/; s/a \\* b/b * a/' src/math.js" }),
    fakeText("Fixed add and swapped the factors."),
  );
  await h.execute();
  expect((await h.taskRow())?.status).toBe("in_review");
  return h;
}

describe("the agent's answer and the next revision", () => {
  it("threads the follow-up's summary under each comment, re-anchors moved lines and marks changed ones outdated", async () => {
    const setup = await reviewed();
    const reviewer = await teamMember("developer");
    const kept = await addComment(reviewer, setup.task.id, {
      path: "src/math.js",
      lineStart: 5,
      body: "Document multiply.",
    });
    const changed = await addComment(reviewer, setup.task.id, {
      path: "src/math.js",
      lineStart: 6,
      body: "Keep the factors in order.",
    });
    const { run: followUp, comments } = await requestChanges(reviewer, setup.task.id);
    // The linkage is stored, not guessed from the summary's text.
    expect(comments.map((c) => c.answeredByRunId)).toEqual([followUp.id, followUp.id]);
    const stored = await setup.db
      .select()
      .from(reviewComments)
      .where(eq(reviewComments.taskId, setup.task.id));
    expect(stored.every((c) => c.answeredByRunId === followUp.id)).toBe(true);

    // Before the follow-up ends, the answer is the run, still without a summary.
    let review = await getReview(reviewer, setup.task.id);
    expect(review.comments.find((c) => c.id === kept.id)?.answer).toMatchObject({
      runId: followUp.id,
      summary: null,
    });

    // The follow-up adds a header (every line moves down two) and puts the factors back in order.
    setup.fake.enqueue(
      fakeToolUse("bash", {
        command: "sed -i '1i // Math helpers.\\n' src/math.js && sed -i 's/b \\* a/a * b/' src/math.js",
      }),
      fakeText("Documented the file and kept the factors in order (comment 2)."),
    );
    const claimed = await claimRun("worker-follow-up");
    expect(claimed?.id).toBe(followUp.id);
    if (!claimed) throw new Error("no run claimed");
    await executeRun(claimed, { workerId: "worker-follow-up", client: setup.client });
    expect(setup.sourceGit("show", `${setup.run.branch}:src/math.js`)).toContain("// Math helpers.");

    review = await getReview(reviewer, setup.task.id);
    const moved = review.comments.find((c) => c.id === kept.id);
    const outdated = review.comments.find((c) => c.id === changed.id);
    expect(moved).toMatchObject({
      anchor: { state: "moved", lineStart: 7, lineEnd: 7 },
      lineStart: 7,
      originalLineStart: 5,
    });
    expect(outdated).toMatchObject({ anchor: { state: "outdated" }, lineStart: 6, originalLineStart: 6 });
    expect(outdated?.context).toContain("> 6 |   return b * a;");
    for (const c of [moved, outdated]) {
      expect(c?.answer).toMatchObject({
        runId: followUp.id,
        status: "succeeded",
        summary: "Documented the file and kept the factors in order (comment 2).",
      });
    }

    // Approving takes a note, kept in the review history.
    await approveTask(reviewer, setup.task.id, { comment: "Good, thanks." });
    const rows = await setup.db.select().from(reviews).where(eq(reviews.taskId, setup.task.id));
    expect(rows.find((r) => r.decision === "approved")?.body).toBe("Good, thanks.");
    expect((await getReview(reviewer, setup.task.id)).reviews[0]).toMatchObject({
      decision: "approved",
      body: "Good, thanks.",
    });
  }, 120_000);
});

// Last: it leaves its follow-up queued, which a later test's claim would pick up.
describe("draft comments", () => {
  it("are edited by their author only, deleted by their author or an admin, and frozen once sent", async () => {
    const setup = await reviewed();
    const author = await teamMember("developer");
    const other = await teamMember("developer");
    const draft = await addComment(author, setup.task.id, { path: "src/math.js", lineStart: 2, body: "Hm." });
    // What it was written against is kept: the branch head and the line's text.
    expect(draft.lineText).toBe("  return a + b;");
    expect(draft.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(draft.context).toContain("> 2 |   return a + b;");

    await expect(editComment(other, draft.id, { body: "Mine now." })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(editComment(setup.admin, draft.id, { body: "Admin's words." })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(editComment(author, draft.id, { body: "   " })).rejects.toThrow();
    const edited = await editComment(author, draft.id, { body: "Keep it a one-liner." });
    expect(edited.body).toBe("Keep it a one-liner.");
    expect(edited.editedAt).not.toBeNull();
    await expect(deleteComment(other, draft.id)).rejects.toMatchObject({ code: "forbidden" });

    const scrap = await addComment(other, setup.task.id, { path: "src/math.js", lineStart: 6, body: "x" });
    await deleteComment(setup.admin, scrap.id);
    expect(await setup.db.select().from(reviewComments).where(eq(reviewComments.id, scrap.id))).toEqual([]);

    await requestChanges(author, setup.task.id);
    await expect(editComment(author, draft.id, { body: "Changed my mind." })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(deleteComment(author, draft.id)).rejects.toMatchObject({ code: "conflict" });
    const [kept] = await setup.db.select().from(reviewComments).where(eq(reviewComments.id, draft.id));
    expect(kept?.body).toBe("Keep it a one-liner.");
  }, 60_000);
});
