import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, reviews, runs, tasks, teams } from "@/db/schema";
import { subscribeTeamChanges } from "@/lib/events/bus";
import type { TeamChange } from "@/lib/events/team-changes";
import { askAgentToResolve, requestChanges } from "@/lib/reviews/service";
import { createTask } from "@/lib/tasks/service";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { teamMember } from "@/lib/testing/fixtures";
import { setSpendCap, spendCapStatus } from "./spend-cap";

let current: EngineSetup | undefined;
afterEach(async () => {
  await current?.fake.close();
  current = undefined;
});

describe("the team's monthly spend cap", () => {
  it("stops a running run at its next step, then refuses new runs until an admin raises it", async () => {
    const h = await engineSetup({ testCommand: "", agent: { maxCostUsd: 100 } });
    current = h;
    // $0.01 a step on Haiku prices: 5 000 input × $1/M + 1 000 output × $5/M.
    const step = { usage: { input_tokens: 5000, output_tokens: 1000 } };
    h.fake.enqueue(
      fakeToolUse("bash", { command: "true" }, step),
      fakeToolUse("bash", { command: "true" }, step),
      fakeToolUse("bash", { command: "true" }, step),
      fakeText("done"),
    );
    const developer = await teamMember("developer");
    await expect(setSpendCap(developer, { capUsd: 1 })).rejects.toThrow(/can.t do that/);
    await setSpendCap(h.admin, { capUsd: "0.02" });
    const db = h.db;
    const [team] = await db.select().from(teams).where(eq(teams.id, h.admin.teamId));
    expect(team?.settings.monthlySpendCapUsd).toBe(0.02);

    const run = await h.execute();
    // Step 1 brings the month to $0.01, step 2 to $0.02 = the cap: the run stops before step 3.
    expect(run).toMatchObject({ status: "failed", stopReason: "spend_cap", steps: 2, costUsd: 0.02 });
    expect(run.error).toBe(
      "The team's monthly spend cap of $0.02 is reached ($0.02 spent this month). An admin can raise it on the Metrics page.",
    );
    const finished = (await h.events()).find((e) => e.type === "run_finished");
    expect(JSON.stringify(finished?.payload)).toContain("spend_cap");
    expect(await spendCapStatus(h.admin.teamId)).toMatchObject({
      capUsd: 0.02,
      spentUsd: 0.02,
      reached: true,
    });

    const assign = () =>
      // The input type grows with the form (cast: only these fields matter here).
      createTask(developer, {
        title: "One more",
        prompt: "Go",
        repoId: h.repo.id,
        agentId: h.agent.id,
      } as Parameters<typeof createTask>[1]);
    await expect(assign()).rejects.toThrow("The team's monthly spend cap of $0.02 is reached");
    // A review's follow-up run and a conflict resolution are new runs too: refused, and nothing is written.
    const reviewer = await teamMember("developer");
    await expect(requestChanges(reviewer, h.task.id, { body: "Try again." })).rejects.toThrow(
      "The team's monthly spend cap of $0.02 is reached",
    );
    await db
      .update(tasks)
      .set({ status: "conflict", conflictFiles: ["src/add.js"] })
      .where(eq(tasks.id, h.task.id));
    await expect(askAgentToResolve(reviewer, h.task.id)).rejects.toThrow(
      "The team's monthly spend cap of $0.02 is reached",
    );
    expect(await db.select().from(runs).where(eq(runs.taskId, h.task.id))).toHaveLength(1);
    expect(await db.select().from(reviews).where(eq(reviews.taskId, h.task.id))).toHaveLength(0);
    expect((await h.taskRow())?.status).toBe("conflict");

    await setSpendCap(h.admin, { capUsd: "" }); // no cap
    const { run: queued } = await assign();
    expect(queued.status).toBe("queued");
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, "team.spend_cap_changed"));
    expect(audit.map((a) => a.details)).toEqual([
      { from: null, to: 0.02 },
      { from: 0.02, to: null },
    ]);
  });

  it("tells every open spend meter when the cap changes", async () => {
    const { teamAdmin } = await import("@/lib/testing/fixtures");
    const admin = await teamAdmin();
    const seen: TeamChange[] = [];
    let heard: () => void = () => {};
    const notice = new Promise<void>((resolve) => {
      heard = resolve;
    });
    // The earlier test's runs may still be heard: only the settings notice counts.
    const off = await subscribeTeamChanges(admin.teamId, (change) => {
      if (change.kind !== "settings") return;
      seen.push(change);
      heard();
    });
    try {
      await setSpendCap(admin, { capUsd: "25" });
      await notice;
      expect(seen).toEqual([{ teamId: admin.teamId, kind: "settings" }]);
    } finally {
      await off();
    }
  });

  it("refuses nonsense caps with the field named", async () => {
    const { teamAdmin } = await import("@/lib/testing/fixtures");
    const admin = await teamAdmin();
    await expect(setSpendCap(admin, { capUsd: "-5" })).rejects.toMatchObject({ field: "capUsd" });
    await expect(setSpendCap(admin, { capUsd: "lots" })).rejects.toMatchObject({ field: "capUsd" });
  });
});
