// POST /api/v1/tasks/:id/merge through the merge queue: 200 when it lands at once, 202 with its position
// while another merge is landing on the same base, 409 on a conflict; on real git and real tokens.
import { asc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as mergeRoute from "@/app/api/v1/tasks/[id]/merge/route";
import { getDb } from "@/db";
import { mergeQueue, tasks } from "@/db/schema";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { discardTask } from "@/lib/reviews/service";
import { teamMember } from "@/lib/testing/fixtures";
import { approvedTask, approvedTaskOn } from "@/lib/testing/merge-queue-fixtures";
import { createApiToken } from "@/lib/tokens/service";
import { drainLine, mergeQueueIdle } from "./drain";
import { landEntry } from "./land";
import { claimNext, enqueueMerge } from "./queue";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

async function post(token: string, id: string, body: unknown = {}) {
  const request = new Request(`http://localhost/api/v1/tasks/${id}/merge`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const response = await mergeRoute.POST(request, { params: Promise.resolve({ id }) });
  return { status: response.status, body: await response.json() };
}

describe("POST /api/v1/tasks/:id/merge and the queue", { timeout: 180_000 }, () => {
  it("answers 202 with the position behind a landing merge, 200 when it lands at once, 409 on a conflict", async () => {
    const developer = await teamMember("developer");
    const token = (await createApiToken(developer, { name: "merge" })).token;
    const ahead = await approvedTask(developer, repos.bareUrl, { files: { "a.txt": "a\n" } });
    const behind = await approvedTaskOn(developer, ahead.line, { files: { "b.txt": "b\n" } });

    // Another merge is landing on main: this one waits its turn.
    const db = await getDb();
    const [aheadTask] = await db.select().from(tasks).where(eq(tasks.id, ahead.task.id));
    if (!aheadTask) throw new Error("no task");
    await db.transaction((tx) =>
      enqueueMerge(tx, {
        task: aheadTask,
        run: ahead.run,
        requestedBy: developer.userId,
        verify: false,
        fixOnRefusal: false,
      }),
    );
    const landing = await claimNext(ahead.line.repo.id, "main");
    expect(landing?.taskId).toBe(ahead.task.id);

    const queued = await post(token, behind.task.id);
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({
      queued: true,
      position: 2,
      task: { id: behind.task.id, status: "approved" },
    });
    // Asking again answers where it is; it is not queued twice.
    expect(await post(token, behind.task.id)).toMatchObject({ status: 202, body: { position: 2 } });
    expect(git(repos.bare, "ls-tree", "--name-only", "main")).not.toContain("b.txt");
    // A third waits behind both, then is discarded: it leaves the line and never lands.
    const dropped = await approvedTaskOn(developer, ahead.line, { files: { "dropped.txt": "no\n" } });
    expect(await post(token, dropped.task.id)).toMatchObject({ status: 202, body: { position: 3 } });
    await discardTask(developer, dropped.task.id);

    // The landing merge ends; the line moves on by itself and the waiting one lands.
    if (!landing) throw new Error("nothing claimed");
    await landEntry(developer, landing);
    await drainLine(ahead.line.repo.id, "main");
    await mergeQueueIdle();
    const [behindTask] = await db.select().from(tasks).where(eq(tasks.id, behind.task.id));
    expect(behindTask?.status).toBe("merged");
    expect(git(repos.bare, "show", "main:b.txt")).toBe("b\n");
    expect(
      (
        await db
          .select()
          .from(mergeQueue)
          .where(eq(mergeQueue.repoId, ahead.line.repo.id))
          .orderBy(asc(mergeQueue.enqueuedAt))
      ).map((e) => e.status),
    ).toEqual(["merged", "merged", "failed"]);
    expect(git(repos.bare, "ls-tree", "--name-only", "main")).not.toContain("dropped.txt");

    // Nothing ahead: it lands during the request.
    const now = await approvedTaskOn(developer, ahead.line, { files: { "c.txt": "one\n" } });
    const clash = await approvedTaskOn(developer, ahead.line, { files: { "c.txt": "two\n" } });
    const landed = await post(token, now.task.id);
    expect(landed.status).toBe(200);
    expect(landed.body.task).toMatchObject({ id: now.task.id, status: "merged" });
    expect(git(repos.bare, "show", "main:c.txt")).toBe("one\n");

    // The same file changed apart: a conflict, and main is left as it was.
    const before = git(repos.bare, "rev-parse", "main");
    const refused = await post(token, clash.task.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "conflict", files: ["c.txt"] });
    expect(git(repos.bare, "rev-parse", "main")).toBe(before);
    const [entry] = await db.select().from(mergeQueue).where(eq(mergeQueue.taskId, clash.task.id));
    expect(entry?.status).toBe("conflict");
  });
});
