import { describe, expect, it } from "vitest";
import { runKindLabel, runTrigger } from "./kind";

describe("run kind", () => {
  it("names each kind and what set it off", () => {
    expect(["initial", "follow_up", "rerun", "resolve_conflict"].map(runKindLabel)).toEqual([
      "First run",
      "Follow-up after review",
      "Run again",
      "Conflict resolution",
    ]);
    expect(runTrigger("initial", "Ada")).toBe("Assigned by Ada");
    expect(runTrigger("follow_up", "Ada")).toBe("Changes requested by Ada");
    expect(runTrigger("rerun", "Ada")).toBe("Started by Ada");
    expect(runTrigger("resolve_conflict", null)).toBe("Merge conflict, sent back by a former member");
  });
});
