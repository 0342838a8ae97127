import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, runs, tasks } from "@/db/schema";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { listBoardTasks } from "./board";
import { type BoardTask, boardPeopleOptions, groupBoard, parseBoardFilters } from "./board-columns";
import { createTask } from "./service";

const columnOf = (columns: ReturnType<typeof groupBoard>, title: string) =>
  columns.find((c) => c.tasks.some((t) => t.title === title))?.id;

describe("board", () => {
  it("puts each task in its status column (review-ish ones together), its runs on one card, with cost and verification", async () => {
    const admin = await teamAdmin();
    const reviewer = await teamMember("developer");
    const { repo, agent } = await insertRun(admin); // #1, queued
    const second = await insertRun(admin, { agent: { name: "Second agent" } });
    const db = await getDb();
    const make = async (title: string, status: BoardTask["status"]) => {
      const { task, run } = await createTask(admin, {
        title,
        prompt: "p",
        repoId: repo.id,
        agentId: agent.id,
        reviewerId: reviewer.userId,
      });
      await db.update(tasks).set({ status }).where(eq(tasks.id, task.id));
      return { task, run };
    };
    const review = await make("In review one", "in_review");
    await db
      .update(runs)
      .set({
        status: "succeeded",
        costUsd: 0.25,
        verifyExitCode: 0,
        startedAt: new Date(),
        finishedAt: new Date(),
      })
      .where(eq(runs.id, review.run.id));
    await make("Approved one", "approved");
    await make("Conflicted one", "conflict");
    await make("Merged one", "merged");
    await make("Cancelled one", "cancelled");
    await make("Discarded one", "discarded");
    await make("Waiting one", "needs_human");
    // Two agents on one task: one is waiting for approval, the other still running.
    const pair = await createTask(admin, {
      title: "Two agents",
      prompt: "p",
      repoId: repo.id,
      agentId: agent.id,
      alsoAgentIds: [second.agent.id],
    });
    await db.update(tasks).set({ status: "running" }).where(eq(tasks.id, pair.task.id));
    await db.update(runs).set({ status: "waiting_approval" }).where(eq(runs.id, pair.run.id));
    await db
      .update(runs)
      .set({ status: "running" })
      .where(eq(runs.id, pair.runs[1]?.id ?? ""));

    const board = await listBoardTasks(admin);
    expect(board.map((t) => t.title)).not.toContain("Discarded one");
    const columns = groupBoard(board, { in_review: 2, needs_human: 5 });
    expect(columnOf(columns, "Fix the failing test")).toBe("queued");
    for (const title of ["In review one", "Approved one", "Conflicted one"])
      expect(columnOf(columns, title)).toBe("in_review");
    expect(columnOf(columns, "Merged one")).toBe("merged");
    expect(columnOf(columns, "Cancelled one")).toBe("failed");
    expect(columnOf(columns, "Waiting one")).toBe("needs_human");
    // The task follows the run that needs the most attention, and lists both runs on its card.
    expect(columnOf(columns, "Two agents")).toBe("needs_human");
    const pairTask = board.find((t) => t.title === "Two agents");
    expect(pairTask?.cards.map((c) => [c.agentName, c.status])).toEqual([
      [agent.name, "waiting_approval"],
      ["Second agent", "running"],
    ]);
    expect(new Set(pairTask?.cards.map((c) => c.branch)).size).toBe(2);

    const reviewed = board.find((t) => t.title === "In review one");
    expect(reviewed?.cards).toHaveLength(1);
    expect(reviewed?.cards[0]).toMatchObject({ costUsd: 0.25, verify: "pass", agentName: agent.name });
    expect(reviewed?.reviewer).toEqual({ id: reviewer.userId, name: reviewer.name });
    expect(reviewed?.assignedBy?.id).toBe(admin.userId);

    // WIP: three cards in review against a limit of 2 warns; two cards waiting against 5 doesn't —
    // the task with two agents is one card, whatever its runs.
    const inReview = columns.find((c) => c.id === "in_review");
    expect(inReview).toMatchObject({ count: 3, limit: 2, over: true });
    expect(columns.find((c) => c.id === "needs_human")).toMatchObject({ count: 2, limit: 5, over: false });
    const bothDone = {
      ...(pairTask as BoardTask),
      status: "in_review" as const,
      cards: (pairTask?.cards ?? []).map((card) => ({ ...card, status: "succeeded" as const })),
    };
    expect(bothDone.cards).toHaveLength(2);
    expect(groupBoard([bothDone]).find((c) => c.id === "in_review")).toMatchObject({ count: 1 });
    expect(columns.find((c) => c.id === "merged")).toMatchObject({ limit: null, over: false });

    // Another team sees none of it.
    expect(await listBoardTasks(await otherTeamMember())).toEqual([]);
  });

  it("filters by repository, agent (any of the task's runs), assigner, reviewer and text or #number", async () => {
    const admin = await teamAdmin();
    const dev = await teamMember("developer");
    const a = await insertRun(admin, { agent: { name: "Alpha" } });
    const b = await insertRun(admin, { agent: { name: "Beta" } });
    const db = await getDb();
    const [gamma] = await db
      .insert(agents)
      .values({ teamId: admin.teamId, name: "Gamma", model: "claude-haiku-4-5" })
      .returning();
    const byDev = await createTask(dev, {
      title: "Rename the config loader",
      prompt: "p",
      repoId: b.repo.id,
      agentId: b.agent.id,
      alsoAgentIds: [gamma?.id ?? ""],
      reviewerId: admin.userId,
    });
    const titles = async (raw: Record<string, string>) =>
      (await listBoardTasks(admin, parseBoardFilters(raw))).map((t) => t.number).sort((x, y) => x - y);

    expect(await titles({ repo: a.repo.id })).toEqual([a.task.number]);
    expect(await titles({ repo: b.repo.id })).toEqual([b.task.number, byDev.task.number]);
    expect(await titles({ agent: gamma?.id ?? "" })).toEqual([byDev.task.number]);
    expect(await titles({ assigner: dev.userId })).toEqual([byDev.task.number]);
    expect(await titles({ reviewer: admin.userId })).toEqual([byDev.task.number]);
    expect(await titles({ q: "config LOADER" })).toEqual([byDev.task.number]);
    expect(await titles({ q: `#${a.task.number}` })).toEqual([a.task.number]);
    expect(await titles({ q: "100%_" })).toEqual([]);
    expect(await titles({ repo: b.repo.id, assigner: admin.userId })).toEqual([b.task.number]);
    expect(await titles({ agent: "not-a-uuid" })).toEqual([]);
    expect(parseBoardFilters({ q: "  x ", repo: "", other: "y", agent: ["1", "2"] })).toEqual({
      q: "x",
      agent: "1",
    });
  });

  it("offers only people who can assign or review in those filters, keeping one the URL already names", () => {
    const members = [
      { userId: "a", name: "Ada", email: "ada@x", role: "admin" },
      { userId: "d", name: "", email: "dev@x", role: "developer" },
      { userId: "v", name: "Vic", email: "vic@x", role: "viewer" },
    ];
    expect(boardPeopleOptions(members, {})).toEqual({
      assigner: [
        { id: "a", name: "Ada" },
        { id: "d", name: "dev@x" },
      ],
      reviewer: [
        { id: "a", name: "Ada" },
        { id: "d", name: "dev@x" },
      ],
    });
    expect(boardPeopleOptions(members, { assigner: "v" }).assigner.map((p) => p.id)).toEqual(["a", "d", "v"]);
    expect(boardPeopleOptions(members, { assigner: "v" }).reviewer.map((p) => p.id)).toEqual(["a", "d"]);
  });
});
