import { describe, expect, it } from "vitest";
import { createTaskSchema } from "./schema";

const base = {
  title: "T",
  prompt: "P",
  repoId: "00000000-0000-4000-8000-000000000001",
  agentId: "00000000-0000-4000-8000-000000000002",
};

const messages = (limits: Record<string, string>) => {
  const result = createTaskSchema.safeParse({ ...base, ...limits });
  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("task budget overrides", () => {
  it("refuse bad numbers with the agent form's words, never the validator's", () => {
    expect(messages({ maxSteps: "0", maxCostUsd: "-1", maxDurationMin: "0" })).toEqual({
      maxSteps: "Max steps must be at least 1.",
      maxCostUsd: "Max cost can't be below zero.",
      maxDurationMin: "Max duration must be at least 1 minute.",
    });
    expect(messages({ maxSteps: "2.5", maxCostUsd: "lots", maxDurationMin: "5000" })).toEqual({
      maxSteps: "Max steps must be a whole number.",
      maxCostUsd: "Max cost must be a number.",
      maxDurationMin: "Max duration can be at most 1,440 minutes (24 hours).",
    });
    // Empty means the agent's own budget.
    expect(
      createTaskSchema.parse({ ...base, maxSteps: "", maxCostUsd: "", maxDurationMin: "" }),
    ).toMatchObject({
      maxSteps: null,
      maxCostUsd: null,
      maxDurationMin: null,
    });
  });
});
