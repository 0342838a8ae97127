import { describe, expect, it } from "vitest";
import { taskVersion } from "./version";

describe("a task page's version", () => {
  it("is the same for the same task read in any run order, and moves with the task or a run's status", () => {
    const at = new Date("2026-12-03T10:00:00Z");
    const runs = [
      { id: "a", status: "running" },
      { id: "b", status: "succeeded" },
    ];
    const seen = taskVersion({ updatedAt: at }, runs);
    expect(taskVersion({ updatedAt: at.toISOString() }, [...runs].reverse())).toBe(seen);
    expect(
      taskVersion({ updatedAt: at }, [
        { id: "a", status: "succeeded" },
        { id: "b", status: "succeeded" },
      ]),
    ).not.toBe(seen);
    expect(taskVersion({ updatedAt: new Date(at.getTime() + 1) }, runs)).not.toBe(seen);
  });
});
