import { describe, expect, it } from "vitest";
import { parseInline } from "./inline";

describe("parseInline", () => {
  it("keeps underscores inside words as text", () => {
    expect(parseInline("Set ANTHROPIC_API_KEY and my_snake_case_name.")).toEqual([
      { type: "text", text: "Set ANTHROPIC_API_KEY and my_snake_case_name." },
    ]);
    expect(parseInline("__init__ and foo_bar_")).toEqual([{ type: "text", text: "__init__ and foo_bar_" }]);
  });

  it("still emphasises _words_ and *words* between spaces or punctuation", () => {
    expect(parseInline("an _important_ step, (*really*)")).toEqual([
      { type: "text", text: "an " },
      { type: "em", children: [{ type: "text", text: "important" }] },
      { type: "text", text: " step, (" },
      { type: "em", children: [{ type: "text", text: "really" }] },
      { type: "text", text: ")" },
    ]);
    expect(parseInline("2 * 3 * 4")).toEqual([{ type: "text", text: "2 * 3 * 4" }]);
  });

  it("parses code, strong and links; only web links are links", () => {
    expect(parseInline("run `npm_test` **now** [docs](https://x.dev) [bad](javascript:alert(1))")).toEqual([
      { type: "text", text: "run " },
      { type: "code", text: "npm_test" },
      { type: "text", text: " " },
      { type: "strong", children: [{ type: "text", text: "now" }] },
      { type: "text", text: " " },
      { type: "link", label: "docs", href: "https://x.dev" },
      { type: "text", text: " [bad](javascript:alert(1))" },
    ]);
  });
});
