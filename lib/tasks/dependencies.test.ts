// Task dependencies on the real engine, real git and the real queue: a dependent's runs are not claimed
// until its dependency has merged, then start from the base with that merge in it; a discarded dependency
// sends the dependent to Needs a human; cycles, other bases, other teams and unknown tasks are refused.
import { execFileSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, runs, taskDependencies, tasks } from "@/db/schema";
import { executeRun } from "@/lib/engine/execute-run";
import { AppError } from "@/lib/errors";
import { listInbox } from "@/lib/inbox/queries";
import { claimRun } from "@/lib/queue/claim";
import { answerAgent } from "@/lib/reviews/answer";
import { mergeTask } from "@/lib/reviews/merge";
import { approveTask, discardTask } from "@/lib/reviews/service";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { listBoardTasks } from "./board";
import { dependencyFieldsOf } from "./dependency-queries";
import { createTask, getTask } from "./service";
import { setTaskDependencies } from "./set-dependencies";
import { waitingLabel } from "./waiting-runs";

let h: EngineSetup | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

/** The AppError a call is refused with (fails the test when it isn't refused). */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const fields = async (task: { id: string; status: string; teamId: string }) =>
  (await dependencyFieldsOf(await getDb(), task.teamId, [task])).get(task.id);

describe("a task that depends on another", () => {
  it("waits until the dependency merges, then starts from the base with the merge in it", async () => {
    h = await engineSetup();
    const a = h.task;
    const { task: b, run: bRun } = await createTask(h.admin, {
      title: "Document add",
      prompt: "Write NOTES.md",
      repoId: h.repo.id,
      agentId: h.agent.id,
      dependsOn: [a.id],
    });
    const db = await getDb();
    expect(await db.select().from(taskDependencies).where(eq(taskDependencies.taskId, b.id))).toMatchObject([
      { taskId: b.id, dependsOnTaskId: a.id },
    ]);
    expect(await fields(b)).toEqual({
      dependsOn: [{ taskId: a.id, number: a.number }],
      waitingOn: [{ taskId: a.id, number: a.number }],
    });

    // A runs (B, queued after it, is not claimable at all while A is open).
    h.fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", {
        command: "str_replace",
        path: "src/add.js",
        old_str: "a - b",
        new_str: "a + b",
      }),
      fakeText("Fixed add."),
    );
    await h.execute();
    expect((await h.taskRow())?.status).toBe("in_review");
    expect(await claimRun("worker-test")).toBeNull();
    const reviewer = await teamMember("developer");
    await approveTask(reviewer, a.id);
    expect(await claimRun("worker-test")).toBeNull();

    const merged = await mergeTask(reviewer, a.id);
    if (merged.status !== "merged") throw new Error(`merge: ${merged.status}`);
    expect(await fields((await getTask(h.admin, b.id)).task)).toMatchObject({ waitingOn: [] });
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, b.id));
    expect(audit.map((row) => row.action)).toContain("task.dependencies_merged");

    const claimed = await claimRun("worker-test");
    expect(claimed?.id).toBe(bRun.id);
    if (!claimed) throw new Error("unreachable");
    h.fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", {
        command: "create",
        path: "NOTES.md",
        file_text: "add adds.\n",
      }),
      fakeText("Documented."),
    );
    await executeRun(claimed, { workerId: "worker-test", client: h.client });
    const [finished] = await db.select().from(runs).where(eq(runs.id, bRun.id));
    expect(finished).toMatchObject({ status: "succeeded", outcome: "changes_ready" });
    // B's branch grew from the base after A's merge: A's merge commit is in it, and so is A's fix.
    execFileSync("git", ["merge-base", "--is-ancestor", merged.sha, bRun.branch], { cwd: h.source });
    expect(h.sourceGit("show", `${bRun.branch}:src/add.js`)).toContain("a + b");
    expect(h.sourceGit("show", `${bRun.branch}:NOTES.md`)).toBe("add adds.");
  });

  it("goes to Needs a human, naming the task, when its dependency is discarded", async () => {
    const admin = await teamAdmin();
    const { repo, agent, task: a } = await insertRun(admin);
    const { task: b, run: bRun } = await createTask(admin, {
      title: "Use the new API",
      prompt: "Call it.",
      repoId: repo.id,
      agentId: agent.id,
      dependsOn: [a.id],
    });
    // A's own run is the only claimable one; give it back so the queue is empty but for B's.
    const db = await getDb();
    await db.update(runs).set({ status: "cancelled", outcome: "failed" }).where(eq(runs.taskId, a.id));
    await db.update(tasks).set({ status: "cancelled" }).where(eq(tasks.id, a.id));
    expect(await claimRun("worker-test")).toBeNull();

    await discardTask(admin, a.id);
    const [dependent] = await db.select().from(tasks).where(eq(tasks.id, b.id));
    expect(dependent?.status).toBe("needs_human");
    const [stopped] = await db.select().from(runs).where(eq(runs.id, bRun.id));
    expect(stopped).toMatchObject({ status: "cancelled", outcome: "blocked", startedAt: null });
    expect(stopped?.outcomeReason).toContain(`it waits on #${a.number} (${a.title}), which was discarded`);
    expect(await fields(dependent as typeof b)).toMatchObject({ waitingOn: [] });
    expect(await claimRun("worker-test")).toBeNull();
    // The board card and the inbox name the discarded dependency, not an agent that never ran.
    const card = (await listBoardTasks(admin)).find((t) => t.id === b.id)?.cards[0];
    expect(card && waitingLabel(card)).toBe(`Dependency #${a.number} was discarded`);
    const item = (await listInbox(admin)).find((i) => i.taskId === b.id);
    expect(item?.kind).toBe("needs_human");
    if (item?.kind !== "needs_human") throw new Error("a needs_human inbox item expected");
    expect(
      waitingLabel({ outcome: item.outcome, outcomeReason: item.reason, stopReason: item.stopReason }),
    ).toBe(`Dependency #${a.number} was discarded`);
    // An agent that stopped blocked on its own still reads as such.
    expect(waitingLabel({ outcome: "blocked", outcomeReason: `it waits on #${a.number} (x)` })).toBe(
      "The agent is blocked",
    );

    // A person's answer goes on without it: the follow-up no longer waits on the discarded task.
    const { run: followUp } = await answerAgent(admin, b.id, { answer: "Go on without it." });
    expect((await claimRun("worker-test"))?.id).toBe(followUp.id);
  });
});

describe("refused dependencies", () => {
  async function workspace(baseBranch = "main") {
    const admin = await teamAdmin();
    const { repo, agent } = await insertRun(admin, { baseBranch });
    const make = (title: string, dependsOn: string[] = []) =>
      createTask(admin, { title, prompt: title, repoId: repo.id, agentId: agent.id, dependsOn }).then(
        (r) => r.task,
      );
    return { admin, repo, agent, make };
  }

  it("refuses cycles: a task on itself, two tasks, and a longer loop", async () => {
    const { admin, make } = await workspace();
    const a = await make("A");
    const b = await make("B", [a.id]);
    const c = await make("C", [b.id]);

    const self = await refusal(setTaskDependencies(admin, a.id, { dependsOn: [a.id] }));
    expect(self).toMatchObject({ status: 400, field: "dependsOn" });
    expect(self.message).toBe(`A task can't depend on itself (#${a.number}).`);

    const two = await refusal(setTaskDependencies(admin, a.id, { dependsOn: [b.id] }));
    expect(two.status).toBe(400);
    expect(two.message).toContain(`cycle: #${a.number} → #${b.number} → #${a.number}`);

    const three = await refusal(setTaskDependencies(admin, a.id, { dependsOn: [c.id] }));
    expect(three.message).toContain(`cycle: #${a.number} → #${c.number} → #${b.number} → #${a.number}`);

    const db = await getDb();
    expect(await db.select().from(taskDependencies).where(eq(taskDependencies.taskId, a.id))).toEqual([]);
    // The database refuses a self-edge too, whatever writes it.
    await expect(
      db.insert(taskDependencies).values({ taskId: a.id, dependsOnTaskId: a.id }),
    ).rejects.toThrow();

    // A chain without a loop is fine: A may wait on a fresh task D.
    const d = await make("D");
    await setTaskDependencies(admin, a.id, { dependsOn: [d.id] });
    expect(await fields(a)).toMatchObject({ waitingOn: [{ taskId: d.id, number: d.number }] });
  });

  it("refuses another base branch (across repositories too) but takes another repository on the same base", async () => {
    const main = await workspace("main");
    const develop = await workspace("develop");
    const onDevelop = await develop.make("API change on develop");
    const refused = await refusal(main.make("Web change", [onDevelop.id]));
    expect(refused).toMatchObject({ status: 400, field: "dependsOn" });
    expect(refused.message).toBe(
      `#${onDevelop.number} merges into develop of ${develop.repo.name} and this task starts from main of ` +
        `${main.repo.name}: a dependency must target the same base branch, or its merge never reaches this task's base.`,
    );
    const otherRepoSameBase = await workspace("main");
    const api = await otherRepoSameBase.make("API change on main");
    const web = await main.make("Web change", [api.id]);
    expect(await fields(web)).toMatchObject({ waitingOn: [{ taskId: api.id }] });
  });

  it("refuses unknown tasks, another team's, discarded ones and non-ids; nothing is created", async () => {
    const { admin, make } = await workspace();
    const stranger = await otherTeamMember();
    const { task: theirs } = await insertRun(stranger);
    const gone = await make("Gone");
    await discardTask(admin, gone.id);
    const db = await getDb();
    const before = (await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).length;

    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await refusal(make("X", [unknown]))).message).toBe(`There is no task ${unknown} in your team.`);
    expect((await refusal(make("X", [theirs.id]))).message).toBe(
      `There is no task ${theirs.id} in your team.`,
    );
    expect((await refusal(make("X", [gone.id]))).message).toBe(
      `#${gone.number} (Gone) was discarded, so it will never merge: depend on another task.`,
    );
    expect((await refusal(make("X", ["#12"]))).message).toBe('"#12" isn\'t a task id.');
    await expect(
      make(
        "X",
        Array.from({ length: 21 }, () => unknown),
      ),
    ).rejects.toThrow("at most 20");
    expect((await db.select().from(tasks).where(eq(tasks.teamId, admin.teamId))).length).toBe(before);
  });

  it("changes dependencies only before the task has started", async () => {
    const { admin, make } = await workspace();
    const a = await make("A");
    const b = await make("B");
    const db = await getDb();
    await db.update(runs).set({ startedAt: new Date(), status: "running" }).where(eq(runs.taskId, b.id));
    await db.update(tasks).set({ status: "running" }).where(eq(tasks.id, b.id));
    const refused = await refusal(setTaskDependencies(admin, b.id, { dependsOn: [a.id] }));
    expect(refused.status).toBe(409);
    const viewer = await teamMember("viewer");
    expect((await refusal(setTaskDependencies(viewer, a.id, { dependsOn: [] }))).status).toBe(403);
    expect((await refusal(setTaskDependencies(admin, a.id, {} as { dependsOn: string[] }))).status).toBe(400);
  });
});
