import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { costOfUsage } from "@/lib/engine/pricing";
import { DEFAULT_MODEL_PRICES, SUGGESTED_MODELS } from "./catalogue";
import { MODEL_RETIREMENTS, retirementNotice, retirementOf, suggestModel } from "./lifecycle";
import { thinkingStyle } from "./thinking";

const THE_27TH = new Date("2026-11-27T09:00:00Z");

/** The SDK's own deprecation table: { model: "November 30th, 2026" }. */
function sdkDeprecations(): Record<string, string> {
  const sdkRoot = path.dirname(createRequire(import.meta.url).resolve("@anthropic-ai/sdk"));
  const source = readFileSync(path.join(sdkRoot, "resources/messages/messages.js"), "utf8");
  const table = /const DEPRECATED_MODELS = \{([^}]*)\}/.exec(source)?.[1];
  if (table === undefined) throw new Error("DEPRECATED_MODELS not found in the SDK");
  return Object.fromEntries([...table.matchAll(/'([^']+)':\s*'([^']+)'/g)].map((m) => [m[1], m[2]]));
}

/** "November 30th, 2026" → "2026-11-30" */
function isoDate(sdkDate: string): string {
  const parsed = new Date(`${sdkDate.replace(/(\d+)(st|nd|rd|th)/, "$1")} UTC`);
  return parsed.toISOString().slice(0, 10);
}

describe("model retirements", () => {
  it("knows every model the installed SDK warns is deprecated, with the SDK's date", () => {
    const sdk = sdkDeprecations();
    expect(Object.keys(sdk)).toContain("claude-sonnet-4-5");
    for (const [model, date] of Object.entries(sdk)) expect(MODEL_RETIREMENTS[model]).toBe(isoDate(date));
  });

  it("warns calmly before the date and says the runs fail after it", () => {
    expect(retirementNotice("claude-sonnet-4-5", THE_27TH)).toBe(
      "claude-sonnet-4-5 retires on 30 Nov 2026 — switch this agent to a current model.",
    );
    // The model still works on its retirement day.
    expect(retirementOf("claude-sonnet-4-5", new Date("2026-11-30T23:59:00Z"))?.retired).toBe(false);
    expect(retirementNotice("claude-sonnet-4-5-20250929", new Date("2026-12-01T00:00:00Z"))).toBe(
      "claude-sonnet-4-5-20250929 retired on 30 Nov 2026: its runs fail. Switch this agent to a current model.",
    );
    expect(retirementNotice("claude-sonnet-5-5", THE_27TH)).toBeNull();
    expect(retirementNotice("claude-haiku-4-5", THE_27TH)).toBeNull();
  });
});

describe("the seeded catalogue", () => {
  const byModel = new Map<string, (typeof DEFAULT_MODEL_PRICES)[number]>(
    DEFAULT_MODEL_PRICES.map((p) => [p.model, p]),
  );

  it("seeds the current lineup at list price, and keeps the 4.5 models existing data uses", () => {
    expect(byModel.size).toBe(DEFAULT_MODEL_PRICES.length);
    expect(byModel.get("claude-opus-5-5")).toMatchObject({
      inputPerMtok: 4,
      outputPerMtok: 20,
      cacheWritePerMtok: 5,
      cacheReadPerMtok: 0.2,
      contextWindow: 1_000_000,
    });
    // Cache reads at $0.10 since 2026-10-07 (release notes), not the $0.20 of its launch.
    expect(byModel.get("claude-sonnet-5-5")).toMatchObject({
      inputPerMtok: 2,
      outputPerMtok: 10,
      cacheWritePerMtok: 2.5,
      cacheReadPerMtok: 0.1,
    });
    expect(byModel.get("claude-fable-5-1")).toMatchObject({ inputPerMtok: 10, cacheReadPerMtok: 0.25 });
    for (const model of ["claude-sonnet-4-5", "claude-opus-4-5", "claude-haiku-4-5"]) {
      expect(byModel.has(model)).toBe(true);
    }
  });

  it("prices Haiku 5.5 exactly on both sides of its 100,000-token prompt tier", () => {
    const haiku = byModel.get("claude-haiku-5-5");
    if (!haiku) throw new Error("claude-haiku-5-5 is not seeded");
    // A 150,000-token prompt, billed at Anthropic's long-prompt rates on every token
    // ($0.50 input, $2.50 output, $0.625 cache write, $0.05 cache read per MTok).
    const long = {
      input_tokens: 50_000,
      cache_read_input_tokens: 90_000,
      cache_creation_input_tokens: 10_000,
      output_tokens: 4_000,
    };
    const longBilled = (50_000 * 0.5 + 90_000 * 0.05 + 10_000 * 0.625 + 4_000 * 2.5) / 1_000_000;
    expect(costOfUsage(long, haiku).costUsd).toBeCloseTo(longBilled, 12);
    // A 60,000-token prompt at the short-prompt rates ($0.10, $0.50, $0.125, $0.01).
    const short = {
      input_tokens: 20_000,
      cache_read_input_tokens: 30_000,
      cache_creation_input_tokens: 10_000,
      output_tokens: 4_000,
    };
    const shortBilled = (20_000 * 0.1 + 30_000 * 0.01 + 10_000 * 0.125 + 4_000 * 0.5) / 1_000_000;
    expect(costOfUsage(short, haiku).costUsd).toBeCloseTo(shortBilled, 12);
  });

  it("suggests a current model for a new agent, never a retiring one", () => {
    for (const model of SUGGESTED_MODELS) {
      expect(byModel.has(model)).toBe(true);
      expect(retirementOf(model, THE_27TH)).toBeNull();
    }
    const seeded = DEFAULT_MODEL_PRICES.map((p) => p.model).sort();
    expect(suggestModel(seeded, THE_27TH)).toBe("claude-sonnet-5-5");
    // A team that removed the current models still doesn't get a retiring one when it has another.
    expect(suggestModel(["claude-sonnet-4-5", "claude-opus-4-5"], THE_27TH)).toBe("claude-opus-4-5");
    expect(suggestModel(["claude-sonnet-4-5"], THE_27TH)).toBe("claude-sonnet-4-5");
    expect(suggestModel([], THE_27TH)).toBe("");
  });
});

describe("thinking styles", () => {
  it("gives adaptive thinking to Claude 4.6 and later, and keeps budgets for older or unknown models", () => {
    for (const model of [
      "claude-opus-5-5",
      "claude-sonnet-5-5",
      "claude-haiku-5-5",
      "claude-fable-5-1",
      "claude-fable-5-2",
      "claude-sonnet-5",
      "claude-opus-4-8",
      "claude-opus-4-6",
      "claude-sonnet-4-6",
      "claude-mythos-preview",
      "anthropic.claude-opus-4-6-v1",
    ]) {
      expect([model, thinkingStyle(model)]).toEqual([model, "adaptive"]);
    }
    for (const model of [
      "claude-sonnet-4-5",
      "claude-sonnet-4-5-20250929",
      "claude-haiku-4-5-20251001",
      "claude-opus-4-5",
      "claude-opus-4-20250514",
      "claude-3-7-sonnet-20250219",
      "my-own-model-9",
      "foreman-demo",
    ]) {
      expect([model, thinkingStyle(model)]).toEqual([model, "budget"]);
    }
  });
});
