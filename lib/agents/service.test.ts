import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, auditEvents, repositories, tasks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { effectiveLimits } from "@/lib/sandbox/limits";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { agentFormSchema, DEFAULT_RISKY_PATTERNS, DEFAULT_RULES, updateAgentFormSchema } from "./schema";
import { createAgent, deleteAgent, getAgent, listAgents, updateAgent } from "./service";

/** The agent form as the browser submits it: every value a string. */
function form(overrides: Record<string, string> = {}) {
  return {
    name: "Builder",
    model: "claude-sonnet-4-5",
    systemPrompt: "You are a careful engineer.\r\n",
    maxSteps: "50",
    maxCostUsd: "5",
    maxDurationMinutes: "30",
    bashTimeoutSec: "120",
    thinkingBudget: "",
    riskyPatterns: DEFAULT_RISKY_PATTERNS.join("\n"),
    rules: "Run the test command before finishing.\n\n  Keep commits small.  \n",
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function agentAudit(teamId: string) {
  const db = await getDb();
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.teamId, teamId));
  return rows.filter((r) => r.action.startsWith("agent.")).map((r) => [r.action, r.objectId]);
}

async function agentNames(teamId: string) {
  const db = await getDb();
  const rows = await db.select({ name: agents.name }).from(agents).where(eq(agents.teamId, teamId));
  return rows.map((r) => r.name).sort();
}

describe("agent profiles", () => {
  it("creates an agent from form strings and stores typed columns", async () => {
    const dev = await teamMember("developer");
    const agent = await createAgent(dev, form());
    const db = await getDb();
    const [row] = await db.select().from(agents).where(eq(agents.id, agent.id));
    expect(row).toMatchObject({
      teamId: dev.teamId,
      createdBy: dev.userId,
      name: "Builder",
      model: "claude-sonnet-4-5",
      systemPrompt: "You are a careful engineer.",
      maxSteps: 50,
      maxCostUsd: 5,
      maxDurationSec: 1800,
      bashTimeoutSec: 120,
      thinkingBudget: null,
      riskyPatterns: DEFAULT_RISKY_PATTERNS,
      rules: ["Run the test command before finishing.", "Keep commits small."],
    });
    expect(DEFAULT_RULES).toEqual(["Run the test command before finishing."]);
    expect(await agentAudit(dev.teamId)).toEqual([["agent.created", agent.id]]);
    expect((await listAgents(await teamMember("viewer"))).map((a) => a.name)).toEqual(["Builder"]);
  });

  it("gives a clear message on the right field for each bad value, and writes nothing", async () => {
    const admin = await teamAdmin();
    const before = await agentNames(admin.teamId);
    const cases: [Record<string, string>, string, string][] = [
      [{ maxCostUsd: "-1" }, "maxCostUsd", "Max cost can't be below zero."],
      [{ maxCostUsd: "" }, "maxCostUsd", "Enter max cost."],
      [{ maxCostUsd: "abc" }, "maxCostUsd", "Max cost must be a number."],
      [{ maxSteps: "" }, "maxSteps", "Enter max steps."],
      [{ maxSteps: "abc" }, "maxSteps", "Max steps must be a number."],
      [{ maxSteps: "2.5" }, "maxSteps", "Max steps must be a whole number."],
      [{ maxSteps: "0" }, "maxSteps", "Max steps must be at least 1."],
      [{ maxSteps: "10001" }, "maxSteps", "Max steps must be at most 10,000."],
      [
        { maxDurationMinutes: "1441" },
        "maxDurationMinutes",
        "Max duration can be at most 1,440 minutes (24 hours).",
      ],
      [{ bashTimeoutSec: "0" }, "bashTimeoutSec", "Bash timeout must be at least 1 second."],
      [
        { thinkingBudget: "512" },
        "thinkingBudget",
        "Thinking budget must be at least 1,024 tokens, or empty for the model's default.",
      ],
      [{ name: "   " }, "name", "Enter a name."],
      [{ name: "x".repeat(81) }, "name", "Names are at most 80 characters."],
      [{ model: "" }, "model", "Choose a model."],
      [
        { name: "Bad\u0000name" },
        "name",
        "Remove the NUL or broken unicode characters: they can't be saved.",
      ],
      [{ name: "Bad \ud800" }, "name", "Remove the NUL or broken unicode characters: they can't be saved."],
      [
        { systemPrompt: "Be careful.\u0000" },
        "systemPrompt",
        "Remove the NUL or broken unicode characters: they can't be saved.",
      ],
      [
        { rules: "fine\nnot \udc00 fine" },
        "rules",
        "Rules, line 2: Remove the NUL or broken unicode characters: they can't be saved.",
      ],
    ];
    for (const [change, field, message] of cases) {
      const error = await rejection(createAgent(admin, form({ name: "Bad", ...change })));
      expect([error.code, error.field, error.message]).toEqual(["bad_request", field, message]);
    }
    expect(await agentNames(admin.teamId)).toEqual(before);
  });

  it("names the line of a risky pattern that is not a regular expression", async () => {
    const admin = await teamAdmin();
    const error = await rejection(
      createAgent(admin, form({ name: "Regex", riskyPatterns: "\\bsudo\\b\n\n(unclosed\n" })),
    );
    expect(error.field).toBe("riskyPatterns");
    // Blank lines are dropped before numbering, so the broken pattern is the second one.
    expect(error.message).toBe("Line 2 isn't a valid regular expression: (unclosed (unterminated group)");
    expect(await agentNames(admin.teamId)).not.toContain("Regex");
  });

  it("refuses a model that is not in the team's catalogue", async () => {
    const admin = await teamAdmin();
    const error = await rejection(createAgent(admin, form({ name: "Ghost", model: "gpt-9" })));
    expect(error).toMatchObject({ code: "bad_request", field: "model" });
    expect(error.message).toMatch(/gpt-9 isn't in your model catalogue/);
  });

  it("refuses a duplicate name in the team (any case), but another team may use it", async () => {
    const admin = await teamAdmin();
    const error = await rejection(createAgent(admin, form({ name: "builder" })));
    expect(error).toMatchObject({ code: "conflict", field: "name" });
    expect(error.message).toBe('An agent named "builder" already exists. Choose another name.');
    const other = await otherTeamMember();
    await createAgent(other, form());
    expect(await agentNames(other.teamId)).toEqual(["Builder"]);
  });

  it("refuses viewers on every write", async () => {
    const admin = await teamAdmin();
    const viewer = await teamMember("viewer");
    const [builder] = await listAgents(admin);
    if (!builder) throw new Error("no agent");
    for (const attempt of [
      () => createAgent(viewer, form({ name: "Viewer's" })),
      () => updateAgent(viewer, builder.id, form({ name: "Renamed" })),
      () => deleteAgent(viewer, builder.id),
    ]) {
      const error = await rejection(attempt());
      expect(error.code).toBe("forbidden");
      expect(error.message).toBe("Your role (viewer) can't do that.");
    }
    expect(await agentNames(admin.teamId)).toEqual(["Builder"]);
  });

  it("hides other teams' agents and malformed ids as not found", async () => {
    const admin = await teamAdmin();
    // Each call founds a fresh team, so this one needs its own agent.
    const other = await otherTeamMember("developer");
    const theirs = await createAgent(other, form());
    for (const id of [theirs.id, "not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      for (const attempt of [
        () => getAgent(admin, id),
        () => updateAgent(admin, id, form({ name: "X" })),
        () => deleteAgent(admin, id),
      ]) {
        const error = await rejection(attempt());
        expect([error.code, error.message]).toEqual(["not_found", "Agent not found."]);
      }
    }
    expect(await getAgent(other, theirs.id)).toMatchObject({ name: "Builder", teamId: other.teamId });
  });

  it("updates every field, keeps its own name free, and audits once", async () => {
    const admin = await teamAdmin();
    const [builder] = await listAgents(admin);
    if (!builder) throw new Error("no agent");
    const before = (await agentAudit(admin.teamId)).length;
    const updated = await updateAgent(
      admin,
      builder.id,
      form({
        model: "claude-opus-4-5",
        maxCostUsd: "12.5",
        maxDurationMinutes: "90",
        bashTimeoutSec: "",
        thinkingBudget: "4096",
        riskyPatterns: "",
        rules: "",
      }),
    );
    expect(updated).toMatchObject({
      name: "Builder",
      model: "claude-opus-4-5",
      maxCostUsd: 12.5,
      maxDurationSec: 5400,
      bashTimeoutSec: 120,
      thinkingBudget: 4096,
      riskyPatterns: [],
      rules: [],
    });
    const audit = (await agentAudit(admin.teamId)).slice(before);
    expect(audit).toEqual([["agent.updated", builder.id]]);
    await createAgent(admin, form({ name: "Reviewer" }));
    const error = await rejection(updateAgent(admin, builder.id, form({ name: "REVIEWER" })));
    expect(error).toMatchObject({ code: "conflict", field: "name" });
  });

  it("refuses to delete an agent that tasks refer to, then deletes an unused one", async () => {
    const admin = await teamAdmin();
    const db = await getDb();
    const all = await listAgents(admin);
    const builder = all.find((a) => a.name === "Builder");
    const reviewer = all.find((a) => a.name === "Reviewer");
    if (!builder || !reviewer) throw new Error("missing agents");
    const [repo] = await db
      .insert(repositories)
      .values({ teamId: admin.teamId, name: "web", source: "/tmp/web", defaultBranch: "main" })
      .returning();
    if (!repo) throw new Error("no repo");
    await db.insert(tasks).values({
      teamId: admin.teamId,
      number: 1,
      title: "Fix the login page",
      prompt: "Fix it",
      repoId: repo.id,
      agentId: builder.id,
      baseBranch: "main",
    });
    const before = (await agentAudit(admin.teamId)).length;
    const error = await rejection(deleteAgent(admin, builder.id));
    expect(error.code).toBe("conflict");
    expect(error.message).toBe(
      "Builder can't be deleted: 1 task refers to it. Tasks keep the agent that worked on them; edit this agent instead.",
    );
    expect(await agentNames(admin.teamId)).toEqual(["Builder", "Reviewer"]);

    const dev = await teamMember("developer");
    await deleteAgent(dev, reviewer.id);
    expect(await agentNames(admin.teamId)).toEqual(["Builder"]);
    expect((await agentAudit(admin.teamId)).slice(before)).toEqual([["agent.deleted", reviewer.id]]);
  });
});

describe("sandbox limit overrides", () => {
  it("stores only the limits that were set, reads them back, and the engine's limits follow", async () => {
    const dev = await otherTeamMember("developer");
    const agent = await createAgent(dev, {
      ...form(),
      sandboxLimits: { memoryMb: "2048", maxProcesses: "", cpuSeconds: 90, outputKb: null },
    });
    const db = await getDb();
    const [row] = await db.select().from(agents).where(eq(agents.id, agent.id));
    expect(row?.sandboxLimits).toEqual({ memoryMb: 2048, cpuSeconds: 90 });
    expect((await getAgent(dev, agent.id)).sandboxLimits).toEqual({ memoryMb: 2048, cpuSeconds: 90 });
    expect(effectiveLimits(row?.sandboxLimits)).toMatchObject({
      memoryMb: 2048,
      maxProcesses: 512,
      cpuSeconds: 90,
      outputKb: 30,
    });

    // Left out altogether (like the other fields, an update replaces the profile): every limit is the default.
    const plain = await createAgent(dev, form({ name: "Plain" }));
    expect(plain.sandboxLimits).toEqual({});
  });

  it("audits a change of the limits as a changed field, and an update without them goes back to defaults", async () => {
    const dev = await otherTeamMember("developer");
    const agent = await createAgent(dev, form());
    const changed = await updateAgent(dev, agent.id, { ...form(), sandboxLimits: { outputKb: 100 } });
    expect(changed.sandboxLimits).toEqual({ outputKb: 100 });
    const reset = await updateAgent(dev, agent.id, form());
    expect(reset.sandboxLimits).toEqual({});
    const db = await getDb();
    const updates = (await db.select().from(auditEvents).where(eq(auditEvents.teamId, dev.teamId)))
      .filter((r) => r.action === "agent.updated")
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => r.details.changed);
    expect(updates).toEqual([["sandboxLimits"], ["sandboxLimits"]]);
  });

  it("refuses out-of-bounds and non-integer limits with a message that names the limit, and writes nothing", async () => {
    const dev = await otherTeamMember("developer");
    const cases: [Record<string, unknown>, string][] = [
      [{ memoryMb: "32" }, "Memory per process must be between 64 and 65,536 MB."],
      [{ memoryMb: 70_000 }, "Memory per process must be between 64 and 65,536 MB."],
      [{ maxProcesses: "4" }, "Processes must be between 8 and 32,768."],
      [{ cpuSeconds: "0" }, "CPU time per process must be between 1 and 86,400 seconds."],
      [{ outputKb: 2048 }, "Output kept per command must be between 1 and 1,024 KB."],
      [{ outputKb: "1.5" }, "Output kept per command must be a whole number."],
      [{ memoryMb: Number.NaN }, "Memory per process must be a number."],
      [{ cpuSeconds: Number.POSITIVE_INFINITY }, "CPU time per process must be a number."],
      [{ cpuSeconds: "Infinity" }, "CPU time per process must be a number."],
      [{ maxProcesses: "lots" }, "Processes must be a number."],
      [{ maxProcesses: true }, "Processes must be a number."],
      [{ fileSizeMb: 10 }, "Sandbox limits take only memoryMb, maxProcesses, cpuSeconds, outputKb."],
    ];
    for (const [limits, message] of cases) {
      const error = await rejection(
        createAgent(dev, { ...form({ name: "Bad" }), sandboxLimits: limits } as never),
      );
      expect([error.code, error.field, error.message]).toEqual(["bad_request", "sandboxLimits", message]);
    }
    const notObject = await rejection(createAgent(dev, { ...form(), sandboxLimits: "big" } as never));
    expect([notObject.field, notObject.message]).toEqual([
      "sandboxLimits",
      "Sandbox limits must be an object of numbers.",
    ]);
    expect(await agentNames(dev.teamId)).toEqual([]);
  });

  it("reads the form's inputs: a blank input is the default, a filled one an override", () => {
    const parsed = agentFormSchema.parse({
      ...form(),
      "sandboxLimits.memoryMb": "  ",
      "sandboxLimits.maxProcesses": "64",
      "sandboxLimits.cpuSeconds": "",
      "sandboxLimits.outputKb": "",
    });
    expect(parsed.sandboxLimits).toEqual({ maxProcesses: 64 });
    const update = updateAgentFormSchema.parse({ ...form(), id: "x", "sandboxLimits.cpuSeconds": "30" });
    expect(update).toMatchObject({ id: "x", sandboxLimits: { cpuSeconds: 30 } });
    const refused = agentFormSchema.safeParse({ ...form(), "sandboxLimits.memoryMb": "1" });
    expect(refused.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["sandboxLimits.memoryMb", "Memory per process must be between 64 and 65,536 MB."],
    ]);
  });
});

describe("an agent's runs at once", () => {
  it("starts at the default, is set from the form, kept by an update that leaves it out, and bounded", async () => {
    const dev = await otherTeamMember("developer");
    const agent = await createAgent(dev, form());
    expect(agent.maxConcurrentRuns).toBe(50);
    const capped = await updateAgent(dev, agent.id, form({ maxConcurrentRuns: "3" }));
    expect(capped.maxConcurrentRuns).toBe(3);
    // An API client that predates the field (or an emptied input) keeps the agent's cap.
    expect((await updateAgent(dev, agent.id, form())).maxConcurrentRuns).toBe(3);
    expect((await updateAgent(dev, agent.id, form({ maxConcurrentRuns: "" }))).maxConcurrentRuns).toBe(3);
    for (const [value, message] of <[string, string][]>[
      ["0", "Runs at once must be at least 1."],
      ["1001", "Runs at once can be at most 1,000."],
      ["two", "Runs at once must be a number."],
    ]) {
      const error = await rejection(updateAgent(dev, agent.id, form({ maxConcurrentRuns: value })));
      expect([error.code, error.field, error.message]).toEqual(["bad_request", "maxConcurrentRuns", message]);
    }
    const db = await getDb();
    const [row] = await db.select().from(agents).where(eq(agents.id, agent.id));
    expect(row?.maxConcurrentRuns).toBe(3);
  });
});
