// Closed tasks stay findable: the board's Closed view (merged and discarded, newest closed first, a page at
// a time) and a search by number that finds a discarded task on the open board too.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { tasks } from "@/db/schema";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { listBoardTasks } from "./board";
import { closedLimit, parseBoardFilters } from "./board-columns";
import { createTask } from "./service";

describe("closed tasks on the board", () => {
  it("lists merged and discarded tasks newest closed first, a page at a time, and finds them by number", async () => {
    const admin = await teamAdmin();
    const { repo, agent } = await insertRun(admin);
    const db = await getDb();
    const base = Date.UTC(2026, 10, 1);
    const make = async (title: string, status: "merged" | "discarded" | "in_review", closedDay?: number) => {
      const { task } = await createTask(admin, { title, prompt: "p", repoId: repo.id, agentId: agent.id });
      await db
        .update(tasks)
        .set({ status, closedAt: closedDay === undefined ? null : new Date(base + closedDay * 86_400_000) })
        .where(eq(tasks.id, task.id));
      return task;
    };
    const oldMerge = await make("Old merge", "merged", 1);
    const discarded = await make("Thrown away", "discarded", 3);
    const newMerge = await make("New merge", "merged", 5);
    const open = await make("Still open", "in_review");

    const closed = await listBoardTasks(admin, { state: "closed" });
    expect(closed.map((t) => t.title)).toEqual(["New merge", "Thrown away", "Old merge"]);
    expect(closed[1]).toMatchObject({
      status: "discarded",
      closedAt: new Date(base + 3 * 86_400_000).toISOString(),
    });
    // A page at a time.
    expect((await listBoardTasks(admin, { state: "closed", limit: "2" })).map((t) => t.title)).toEqual([
      "New merge",
      "Thrown away",
    ]);
    // Filters and search narrow the Closed view too.
    expect((await listBoardTasks(admin, { state: "closed", q: "merge" })).map((t) => t.title)).toEqual([
      "New merge",
      "Old merge",
    ]);
    expect(
      (await listBoardTasks(admin, { state: "closed", q: `#${discarded.number}` })).map((t) => t.id),
    ).toEqual([discarded.id]);

    // The open board leaves discarded tasks out …
    const board = await listBoardTasks(admin, {});
    expect(board.map((t) => t.id)).toContain(open.id);
    expect(board.map((t) => t.id)).toContain(newMerge.id);
    expect(board.map((t) => t.id)).not.toContain(discarded.id);
    expect((await listBoardTasks(admin, { q: "Thrown" })).map((t) => t.id)).toEqual([]);
    // … but a search by its number, with or without '#', finds it.
    for (const q of [`#${discarded.number}`, String(discarded.number), ` ${discarded.number} `]) {
      expect((await listBoardTasks(admin, { q })).map((t) => t.id)).toEqual([discarded.id]);
    }
    expect((await listBoardTasks(admin, { q: `#${oldMerge.number}` })).map((t) => t.id)).toEqual([
      oldMerge.id,
    ]);
  });

  it("reads the view and its page size from the URL, dropping what doesn't fit", () => {
    expect(parseBoardFilters({ state: "closed", limit: "100" })).toEqual({ state: "closed", limit: "100" });
    expect(parseBoardFilters({ state: "open", limit: "100" })).toEqual({});
    expect(parseBoardFilters({ state: "closed", limit: "-1" })).toEqual({ state: "closed" });
    expect(closedLimit({ state: "closed" })).toBe(50);
    expect(closedLimit({ state: "closed", limit: "9999" })).toBe(500);
    expect(closedLimit({ state: "closed", limit: "0" })).toBe(1);
  });
});
