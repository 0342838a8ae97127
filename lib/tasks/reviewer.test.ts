// Naming who reviews a task after it was assigned: the service, its API endpoint, and the inboxes it fills.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as reviewerRoute from "@/app/api/v1/tasks/[id]/reviewer/route";
import { getDb } from "@/db";
import { auditEvents, tasks } from "@/db/schema";
import { listInbox } from "@/lib/inbox/queries";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { createApiToken } from "@/lib/tokens/service";
import { setTaskReviewer } from "./reviewer";

async function inReview(assigner: Awaited<ReturnType<typeof teamAdmin>>) {
  const fixture = await insertRun(assigner);
  const db = await getDb();
  await db
    .update(tasks)
    .set({ status: "in_review", assignedBy: assigner.userId, reviewerId: null })
    .where(eq(tasks.id, fixture.task.id));
  return fixture.task;
}

async function reviewerAudits(taskId: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.objectId, taskId), eq(auditEvents.action, "task.reviewer_changed")));
}

describe("the task's reviewer", () => {
  it("waits on the assigner while nobody is named, then moves to the reviewer's inbox, audited", async () => {
    const dev = await teamMember("developer");
    const reviewer = await teamMember("developer");
    const task = await inReview(dev);

    // Nobody named: the person who assigned it is the one it waits on.
    expect((await listInbox(dev)).map((i) => [i.kind, i.taskId, "unassigned" in i && i.unassigned])).toEqual([
      ["review", task.id, true],
    ]);
    expect(await listInbox(reviewer)).toEqual([]);

    const updated = await setTaskReviewer(dev, task.id, { reviewerId: reviewer.userId });
    expect(updated.reviewerId).toBe(reviewer.userId);
    expect(await listInbox(dev)).toEqual([]);
    expect(
      (await listInbox(reviewer)).map((i) => [i.kind, i.taskId, "unassigned" in i && i.unassigned]),
    ).toEqual([["review", task.id, false]]);

    // The same choice again changes nothing and writes no second row.
    await setTaskReviewer(dev, task.id, { reviewerId: reviewer.userId });
    const audits = await reviewerAudits(task.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toMatchObject({ number: task.number, from: null, to: reviewer.name });

    // Back to nobody: back in the assigner's inbox.
    await setTaskReviewer(dev, task.id, { reviewerId: null });
    expect((await listInbox(dev)).map((i) => i.taskId)).toEqual([task.id]);
    expect(await reviewerAudits(task.id)).toHaveLength(2);
  });

  it("refuses viewers as reviewers or as the ones choosing, other teams' people, and closed tasks", async () => {
    const admin = await teamAdmin();
    const viewer = await teamMember("viewer");
    const outsider = await otherTeamMember();
    const task = await inReview(admin);

    await expect(setTaskReviewer(admin, task.id, { reviewerId: viewer.userId })).rejects.toMatchObject({
      code: "bad_request",
      field: "reviewerId",
    });
    await expect(setTaskReviewer(admin, task.id, { reviewerId: outsider.userId })).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(setTaskReviewer(viewer, task.id, { reviewerId: admin.userId })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(setTaskReviewer(outsider, task.id, { reviewerId: outsider.userId })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(setTaskReviewer(admin, "not-a-task-id", { reviewerId: admin.userId })).rejects.toMatchObject(
      {
        code: "not_found",
      },
    );
    const db = await getDb();
    await db.update(tasks).set({ status: "merged" }).where(eq(tasks.id, task.id));
    await expect(setTaskReviewer(admin, task.id, { reviewerId: admin.userId })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await reviewerAudits(task.id)).toHaveLength(0);
  });

  it("is set over the API by email, with 400s that name the field", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const viewer = await teamMember("viewer");
    const task = await inReview(admin);
    const { token } = await createApiToken(admin, { name: "reviewer" });
    const post = async (body: unknown) => {
      const response = await reviewerRoute.POST(
        new Request("http://localhost/api/v1/tasks/x/reviewer", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ id: task.id }) },
      );
      return { status: response.status, body: await response.json() };
    };

    const ok = await post({ reviewerEmail: dev.email.toUpperCase() });
    expect(ok.status).toBe(200);
    expect(ok.body.task).toMatchObject({ id: task.id, reviewerId: dev.userId });
    expect((await post({ reviewerEmail: viewer.email })).body.error).toMatchObject({
      code: "bad_request",
      field: "reviewerEmail",
    });
    expect((await post({ reviewerEmail: "nobody@example.com" })).body.error).toMatchObject({
      field: "reviewerEmail",
    });
    expect((await post({})).status).toBe(400);
    const cleared = await post({ reviewerEmail: null });
    expect(cleared.body.task.reviewerId).toBeNull();
  });
});
