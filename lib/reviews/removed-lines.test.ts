// Comments on removed lines (the old side of the diff), in a changed file and in a deleted one: stored
// with their side, placed after the removed line in the diff, and sent to the agent as removed lines
// with the old file's code around them. On real git and the real db.
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { parsePatch } from "@/components/diff/parse-patch";
import { buildRows } from "@/components/diff/rows";
import { getDb } from "@/db";
import { reviewComments, tasks } from "@/db/schema";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { commitStep, endRun } from "@/lib/testing/review-fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { addComment } from "./comments";
import { getReview } from "./queries";
import { requestChanges } from "./service";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

describe("comments on removed lines", { timeout: 120_000 }, () => {
  it("are kept on the old side, shown after the removed line, and sent as removed lines with the old code", async () => {
    fs.writeFileSync(path.join(repos.work, "notes.txt"), "one\ntwo\nthree\nfour\n");
    fs.writeFileSync(path.join(repos.work, "legacy.txt"), "keep me\nor not\n");
    git(repos.work, "add", ".");
    git(repos.work, "commit", "-q", "-m", "notes and legacy");
    const admin = await teamAdmin();
    const { task, run, repo } = await insertRun(admin, { source: repos.work });
    await commitStep({ id: repo.id, source: repos.work }, run, {
      files: { "notes.txt": "one\nthree\nfour\n", "legacy.txt": null },
    });
    await endRun(run.id);
    const db = await getDb();
    await db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, task.id));

    const reviewer = await teamMember("developer");
    await addComment(reviewer, task.id, {
      path: "notes.txt",
      side: "old",
      lineStart: 2,
      body: "Why remove two?",
    });
    await addComment(reviewer, task.id, {
      path: "legacy.txt",
      side: "old",
      lineStart: 1,
      body: "Keep this file.",
    });
    await addComment(reviewer, task.id, { path: "notes.txt", lineStart: 2, body: "Fine here." });

    // The diff model places each thread after its own line: old side after the removed line.
    const review = await getReview(reviewer, task.id);
    const files = review.diff?.files ?? [];
    expect(files.map((f) => [f.path, f.status])).toEqual([
      ["legacy.txt", "deleted"],
      ["notes.txt", "modified"],
    ]);
    const rows = buildRows({
      files,
      patches: parsePatch(review.diff?.patch ?? ""),
      view: "unified",
      toggled: new Set(),
      comments: review.comments,
      composing: null,
    });
    const placed = rows.flatMap((row, i) => {
      if (row.type !== "thread") return [];
      const before = rows[i - 1];
      const text = before?.type === "line" ? `${before.line.kind} ${before.line.text}` : "";
      const bodies = row.commentIds.map((id) => review.comments.find((c) => c.id === id)?.body);
      return [[files[row.file]?.path, row.side, row.line, text, bodies]];
    });
    expect(placed).toEqual([
      ["legacy.txt", "old", 1, "del keep me", ["Keep this file."]],
      ["notes.txt", "old", 2, "del two", ["Why remove two?"]],
      ["notes.txt", "new", 2, "context three", ["Fine here."]],
    ]);
    // Split view: the removed line's thread follows the row that shows it on the left.
    const split = buildRows({
      files,
      patches: parsePatch(review.diff?.patch ?? ""),
      view: "split",
      toggled: new Set(),
      comments: review.comments,
      composing: null,
    });
    const afterSplit = split.flatMap((row, i) => {
      const before = split[i - 1];
      return row.type === "thread" && before?.type === "split"
        ? [[row.side, row.line, before.left?.text ?? null, before.right?.text ?? null]]
        : [];
    });
    expect(afterSplit).toEqual([
      ["old", 1, "keep me", null],
      ["old", 2, "two", null],
      ["new", 2, "three", "three"],
    ]);

    const { run: followUp } = await requestChanges(reviewer, task.id);
    const prompt = followUp.prompt ?? "";
    expect(prompt).toContain("## Comment 1: `legacy.txt`, removed line 1 of the old file");
    expect(prompt).toContain("> 1 | keep me");
    expect(prompt).toContain("## Comment 2: `notes.txt`, line 2\n");
    expect(prompt).toContain("> 2 | three");
    expect(prompt).toContain("## Comment 3: `notes.txt`, removed line 2 of the old file");
    expect(prompt).toContain("> 2 | two");
    const stored = await db.select().from(reviewComments).where(eq(reviewComments.taskId, task.id));
    expect(stored.map((c) => [c.path, c.side, c.status]).sort()).toEqual([
      ["legacy.txt", "old", "submitted"],
      ["notes.txt", "new", "submitted"],
      ["notes.txt", "old", "submitted"],
    ]);
  });
});
