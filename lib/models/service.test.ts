import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, auditEvents, modelPrices } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { formatMoney, formatTokens } from "./format";
import { deleteModelPrice, listModelPrices, priceFor, upsertModelPrice } from "./service";

const mini = {
  model: "acme/mini-1:latest",
  inputPerMtok: "0.25",
  outputPerMtok: "1.25",
  cacheWritePerMtok: "0.3",
  cacheReadPerMtok: "0.025",
  contextWindow: "128000",
};

async function auditActions(teamId: string) {
  const db = await getDb();
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.teamId, teamId));
  return rows.filter((r) => r.action.startsWith("model.")).map((r) => [r.action, r.objectId]);
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("model price catalogue", () => {
  it("lists the seeded catalogue to every member, and only the member's team", async () => {
    const viewer = await teamMember("viewer");
    const prices = await listModelPrices(viewer);
    expect(prices.map((p) => p.model)).toEqual([
      "claude-fable-5",
      "claude-fable-5-1",
      "claude-haiku-4-5",
      "claude-haiku-5-5",
      "claude-opus-4-5",
      "claude-opus-5",
      "claude-opus-5-5",
      "claude-sonnet-4-5",
      "claude-sonnet-5",
      "claude-sonnet-5-5",
    ]);
    const other = await otherTeamMember();
    await upsertModelPrice(other, { ...mini, model: "other-team-only" });
    expect((await listModelPrices(viewer)).map((p) => p.model)).not.toContain("other-team-only");
  });

  it("lets an admin add a model from form strings, then change it, with one audit row each", async () => {
    const admin = await teamAdmin();
    const created = await upsertModelPrice(admin, mini, { createOnly: true });
    expect(created).toMatchObject({
      model: "acme/mini-1:latest",
      inputPerMtok: 0.25,
      outputPerMtok: 1.25,
      cacheWritePerMtok: 0.3,
      cacheReadPerMtok: 0.025,
      contextWindow: 128000,
    });
    await upsertModelPrice(admin, { ...mini, inputPerMtok: 0.5, contextWindow: 200_000 });
    const row = await priceFor(admin.teamId, "acme/mini-1:latest");
    expect(row).toMatchObject({ inputPerMtok: 0.5, outputPerMtok: 1.25, contextWindow: 200000 });
    expect(await auditActions(admin.teamId)).toEqual([
      ["model.created", "acme/mini-1:latest"],
      ["model.updated", "acme/mini-1:latest"],
    ]);
    const error = await rejection(upsertModelPrice(admin, mini, { createOnly: true }));
    expect(error).toMatchObject({ code: "conflict", field: "model" });
    expect(error.message).toMatch(/already in the catalogue/);
  });

  it("says which field is wrong, in words, and writes nothing", async () => {
    const admin = await teamAdmin();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ inputPerMtok: "-1" }, "inputPerMtok", "Input price can't be below zero."],
      [{ outputPerMtok: "" }, "outputPerMtok", "Enter output price."],
      [{ cacheWritePerMtok: "abc" }, "cacheWritePerMtok", "Cache write price must be a number."],
      [{ cacheReadPerMtok: "-0.01" }, "cacheReadPerMtok", "Cache read price can't be below zero."],
      [{ contextWindow: "999" }, "contextWindow", "Context window must be at least 1,000 tokens."],
      [{ contextWindow: "1500.5" }, "contextWindow", "Context window must be a whole number."],
      [{ model: "" }, "model", "Enter a model name."],
      [{ model: "has space" }, "model", "Use only letters, digits and . _ : / - in model names."],
      [{ model: "x".repeat(101) }, "model", "Model names are at most 100 characters."],
      [
        { longInputPerMtok: "0.5" },
        "longPromptAboveTokens",
        "Enter the prompt size above which the long-prompt prices apply, or clear those prices.",
      ],
      [
        { longPromptAboveTokens: "100000", longInputPerMtok: "0.5", longOutputPerMtok: "2.5" },
        "longCacheWritePerMtok",
        "Enter this price too: a long-prompt tier needs all four.",
      ],
      [{ longPromptAboveTokens: "0" }, "longPromptAboveTokens", "Long-prompt threshold must be at least 1."],
    ];
    for (const [change, field, message] of cases) {
      const error = await rejection(upsertModelPrice(admin, { ...mini, model: "bad-input", ...change }));
      expect([error.code, error.field, error.message]).toEqual(["bad_request", field, message]);
    }
    expect(await priceFor(admin.teamId, "bad-input")).toBeNull();
  });

  it("keeps a long-prompt tier, prices a run by it, and clears it when its fields are emptied", async () => {
    const admin = await teamAdmin();
    const tiered = {
      ...mini,
      model: "acme/tiered-1",
      longPromptAboveTokens: "100000",
      longInputPerMtok: "1",
      longOutputPerMtok: "5",
      longCacheWritePerMtok: "1.2",
      longCacheReadPerMtok: "0.1",
    };
    const row = await upsertModelPrice(admin, tiered);
    expect(row).toMatchObject({
      longPromptAboveTokens: 100_000,
      longInputPerMtok: 1,
      longCacheReadPerMtok: 0.1,
    });
    expect(await priceFor(admin.teamId, "acme/tiered-1")).toMatchObject({ longOutputPerMtok: 5 });
    const cleared = await upsertModelPrice(admin, {
      ...tiered,
      longPromptAboveTokens: "",
      longInputPerMtok: "",
      longOutputPerMtok: "",
      longCacheWritePerMtok: "",
      longCacheReadPerMtok: "",
    });
    expect(cleared).toMatchObject({ longPromptAboveTokens: null, longInputPerMtok: null });
    // An older client that sends no tier fields at all changes prices and leaves no tier.
    expect(await upsertModelPrice(admin, { ...mini, model: "acme/tiered-1" })).toMatchObject({
      inputPerMtok: 0.25,
      longPromptAboveTokens: null,
    });
  });

  it("refuses developers and viewers: only admins edit prices", async () => {
    const admin = await teamAdmin();
    for (const role of ["developer", "viewer"] as const) {
      const member = await teamMember(role);
      const error = await rejection(upsertModelPrice(member, { ...mini, model: `by-${role}` }));
      expect(error.code).toBe("forbidden");
      expect(error.message).toMatch(new RegExp(`Your role \\(${role}\\)`));
      expect((await rejection(deleteModelPrice(member, "claude-haiku-4-5"))).code).toBe("forbidden");
      expect(await priceFor(admin.teamId, `by-${role}`)).toBeNull();
    }
    expect(await priceFor(admin.teamId, "claude-haiku-4-5")).not.toBeNull();
  });

  it("refuses to delete a model an agent uses, naming the agents", async () => {
    const admin = await teamAdmin();
    const db = await getDb();
    await db.insert(agents).values([
      { teamId: admin.teamId, name: "Builder", model: "claude-opus-4-5" },
      { teamId: admin.teamId, name: "Architect", model: "claude-opus-4-5" },
    ]);
    const error = await rejection(deleteModelPrice(admin, "claude-opus-4-5"));
    expect(error.code).toBe("conflict");
    expect(error.message).toBe(
      "claude-opus-4-5 is used by the agents Architect and Builder. Switch them to another model before deleting it.",
    );
    expect(await priceFor(admin.teamId, "claude-opus-4-5")).not.toBeNull();
  });

  it("deletes an unused model with an audit row; a missing one is not found", async () => {
    const admin = await teamAdmin();
    const before = (await auditActions(admin.teamId)).length;
    await deleteModelPrice(admin, "claude-haiku-4-5");
    expect(await priceFor(admin.teamId, "claude-haiku-4-5")).toBeNull();
    const actions = await auditActions(admin.teamId);
    expect(actions.slice(before)).toEqual([["model.deleted", "claude-haiku-4-5"]]);
    expect((await rejection(deleteModelPrice(admin, "claude-haiku-4-5"))).code).toBe("not_found");
    // Another team's catalogue is untouched.
    const other = await otherTeamMember();
    expect(await priceFor(other.teamId, "claude-haiku-4-5")).not.toBeNull();
  });

  it("prices only what is in the team's catalogue: unknown models are unpriced", async () => {
    const admin = await teamAdmin();
    expect(await priceFor(admin.teamId, "claude-sonnet-4-5")).toMatchObject({
      inputPerMtok: 3,
      outputPerMtok: 15,
      cacheWritePerMtok: 3.75,
      cacheReadPerMtok: 0.3,
    });
    expect(await priceFor(admin.teamId, "claude-sonnet-4-5-20990101")).toBeNull();
    const db = await getDb();
    const rows = await db
      .select()
      .from(modelPrices)
      .where(and(eq(modelPrices.teamId, admin.teamId), eq(modelPrices.model, "gpt-unknown")));
    expect(rows).toEqual([]);
  });

  it("formats prices as money per MTok and context windows compactly", () => {
    expect([3, 0.3, 0.075, 0.0042, 15, 1250].map(formatMoney)).toEqual([
      "$3.00",
      "$0.30",
      "$0.075",
      "$0.0042",
      "$15.00",
      "$1,250.00",
    ]);
    expect([200_000, 1_000_000, 32_768].map(formatTokens)).toEqual(["200K", "1M", "32,768"]);
  });
});
