import { execFileSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runs, taskOverlaps, tasks } from "@/db/schema";
import { syncClone } from "@/lib/git/clone";
import { askAgentToResolve } from "@/lib/reviews/service";
import { listBoardTasks } from "@/lib/tasks/board";
import { makeSourceRepo } from "@/lib/testing/engine-harness";
import { otherTeamMember, teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { baseConflictsOf, overlapsOf } from "./queries";
import { refreshOverlaps } from "./refresh";

const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n");

describe("predicted overlaps kept in the database", () => {
  it("records a conflict between two open tasks, shows it on the board, and drops it when one closes", async () => {
    const admin = await teamAdmin();
    const source = makeSourceRepo({ "src/a.txt": `${lines}\n`, "src/b.txt": "b\n" });
    const first = await insertRun(admin, { source });
    const db = await getDb();
    // Two more tasks on the same repository: one edits the same first line, one another file.
    const more: { task: typeof first.task; run: typeof first.run }[] = [];
    for (const [title, slug] of <[string, string][]>[
      ["Same line", "same-line"],
      ["Other file", "other-file"],
    ]) {
      const [task]: (typeof first.task)[] = await db
        .insert(tasks)
        .values({ ...first.task, id: undefined, number: first.task.number + more.length + 1, title })
        .returning();
      const [run] = await db
        .insert(runs)
        .values({ ...first.run, id: undefined, taskId: task?.id as string, branch: `foreman/${slug}` })
        .returning();
      more.push({ task: task as typeof first.task, run: run as typeof first.run });
    }
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: source,
        encoding: "utf8",
      });
    const edit = (branch: string, file: string, content: string) => {
      git("checkout", "-q", "-b", branch, "main");
      execFileSync("sh", ["-c", `printf '%s\\n' "$1" > "$2"`, "sh", content, file], { cwd: source });
      git("commit", "-q", "-am", branch);
      git("checkout", "-q", "main");
    };
    edit(first.run.branch, "src/a.txt", `one\n${lines.split("\n").slice(1).join("\n")}`);
    edit(more[0]?.run.branch ?? "", "src/a.txt", `first\n${lines.split("\n").slice(1).join("\n")}`);
    edit(more[1]?.run.branch ?? "", "src/b.txt", "bee");
    // Foreman's clone holds run branches as its own refs (the engine's checkpoints move them there).
    const clone = await syncClone(first.repo);
    for (const { run } of [first, ...more]) {
      execFileSync("git", [
        "--git-dir",
        clone,
        "update-ref",
        `refs/heads/${run.branch}`,
        `refs/remotes/origin/${run.branch}`,
      ]);
    }
    await db.update(tasks).set({ status: "in_review" }).where(eq(tasks.repoId, first.repo.id));

    expect((await refreshOverlaps(first.repo.id)).changed).toBe(true);
    expect((await refreshOverlaps(first.repo.id)).changed).toBe(false); // nothing moved: nothing rewritten
    const overlaps = await overlapsOf(admin, [first.task.id, more[0]?.task.id ?? "", more[1]?.task.id ?? ""]);
    expect(overlaps.get(first.task.id)).toEqual([
      {
        taskId: more[0]?.task.id,
        number: more[0]?.task.number,
        title: "Same line",
        files: ["src/a.txt"],
        conflict: true,
        conflictFiles: ["src/a.txt"],
      },
    ]);
    expect(overlaps.get(more[0]?.task.id ?? "")?.map((o) => o.number)).toEqual([first.task.number]);
    expect(overlaps.get(more[1]?.task.id ?? "")).toBeUndefined();
    const card = (await listBoardTasks(admin)).find((task) => task.id === first.task.id);
    expect(card?.overlaps).toEqual([
      { taskId: more[0]?.task.id, number: more[0]?.task.number, files: ["src/a.txt"], conflict: true },
    ]);
    // Another team never sees them.
    expect((await overlapsOf(await otherTeamMember(), [first.task.id])).size).toBe(0);

    // main moves on, changing the same first line: both a.txt branches would now conflict with it.
    expect(await baseConflictsOf(admin, [first.task.id])).toEqual(new Map());
    execFileSync(
      "sh",
      ["-c", `printf 'ONE\n' > src/a.txt && git -c user.name=t -c user.email=t@example.com commit -qam main`],
      {
        cwd: source,
      },
    );
    await syncClone(first.repo);
    expect((await refreshOverlaps(first.repo.id)).changed).toBe(true);
    const withBase = await baseConflictsOf(admin, [
      first.task.id,
      more[0]?.task.id ?? "",
      more[1]?.task.id ?? "",
    ]);
    expect(withBase.get(first.task.id)).toEqual(["src/a.txt"]);
    expect(withBase.get(more[1]?.task.id ?? "")).toBeUndefined();
    expect((await listBoardTasks(admin)).find((task) => task.id === first.task.id)?.baseConflict).toEqual({
      baseBranch: "main",
      files: ["src/a.txt"],
    });

    // One click hands it back to its agent to merge the base and resolve, before any merge has failed.
    await db.update(runs).set({ status: "succeeded" }).where(eq(runs.teamId, admin.teamId));
    const { run, task: handedBack } = await askAgentToResolve(admin, first.task.id);
    expect(run.kind).toBe("resolve_conflict");
    expect(run.branch).toBe(first.run.branch);
    expect(run.prompt).toContain("src/a.txt");
    expect(handedBack.status).toBe("queued");
    // A task with no conflict predicted isn't handed back this way.
    await expect(askAgentToResolve(admin, more[1]?.task.id ?? "")).rejects.toMatchObject({
      code: "conflict",
    });

    // The conflicting task is discarded: the overlap is gone on the next refresh.
    await db
      .update(tasks)
      .set({ status: "discarded" })
      .where(eq(tasks.id, more[0]?.task.id ?? ""));
    expect((await refreshOverlaps(first.repo.id)).changed).toBe(true);
    expect(await db.select().from(taskOverlaps).where(eq(taskOverlaps.repoId, first.repo.id))).toEqual([]);
  });
});
