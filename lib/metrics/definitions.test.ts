import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFINITIONS } from "./definitions";

describe("metric definitions", () => {
  it("docs/metrics.md holds every tooltip word for word", () => {
    const docs = fs.readFileSync("docs/metrics.md", "utf8");
    for (const text of Object.values(DEFINITIONS)) expect(docs).toContain(text);
  });
});
