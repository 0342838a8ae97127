// Expanding context on the review page: the hidden unchanged lines around a real diff's hunks, numbered
// on both sides, shown 20 at a time or all at once, and never offered for commenting.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parsePatch } from "@/components/diff/parse-patch";
import { buildRows, type FileExpansion, gapsOf, type Row } from "@/components/diff/rows";
import { diffCommits } from "@/lib/git/diff";
import { git, makeTestRepos } from "@/lib/git/test-repos";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

const numbered = (rows: Row[]) =>
  rows.map((row) =>
    row.type === "line"
      ? `${row.line.kind}:${row.line.oldNo ?? "-"}/${row.line.newNo ?? "-"}${row.line.expanded ? "*" : ""}`
      : row.type === "expand"
        ? `expand:${row.gap}:${row.hidden ?? "?"}`
        : row.type,
  );

describe("expanding context around the hunks", () => {
  it("numbers hidden lines on both sides, across a hunk that added lines, and shows them 20 at a time", async () => {
    const { work } = repos;
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`);
    fs.writeFileSync(path.join(work, "long.txt"), `${lines.join("\n")}\n`);
    git(work, "add", ".");
    git(work, "commit", "-q", "-m", "base");
    const from = git(work, "rev-parse", "HEAD").trim();
    // Two lines inserted after line 10, line 60 changed: later lines sit 2 further down in the new file.
    const after = [...lines.slice(0, 10), "new a", "new b", ...lines.slice(10)];
    after[61] = "line 60, changed";
    fs.writeFileSync(path.join(work, "long.txt"), `${after.join("\n")}\n`);
    git(work, "commit", "-q", "-am", "change");
    const diff = await diffCommits(path.join(work, ".git"), from, git(work, "rev-parse", "HEAD").trim());
    const patches = parsePatch(diff.patch);
    const index = diff.files.findIndex((f) => f.path === "long.txt");
    const patch = patches[index];
    if (!patch) throw new Error("no patch");

    expect(gapsOf(patch.hunks, after.length)).toEqual([
      { start: 1, end: 7, offset: 0 },
      { start: 16, end: 58, offset: -2 },
      { start: 66, end: 102, offset: -2 },
    ]);
    const build = (expansion?: FileExpansion) =>
      buildRows({
        files: [diff.files[index] as (typeof diff.files)[number]],
        patches: [patch],
        view: "unified",
        toggled: new Set(),
        comments: [],
        composing: null,
        expansions: expansion ? new Map([["long.txt", expansion]]) : undefined,
      });
    // Before anything is fetched: a row per gap, the last one of unknown length.
    expect(numbered(build()).filter((r) => r.startsWith("expand"))).toEqual([
      "expand:0:7",
      "expand:1:43",
      "expand:2:?",
    ]);
    // 20 more downwards after the first hunk, all of the first gap, 20 upwards before the last hunk.
    const rows = build({
      lines: after,
      gaps: { 0: { top: Number.POSITIVE_INFINITY, bottom: 0 }, 1: { top: 20, bottom: 0 } },
    });
    const shown = numbered(rows);
    expect(shown.slice(0, 9)).toEqual([
      "file",
      "context:1/1*",
      "context:2/2*",
      "context:3/3*",
      "context:4/4*",
      "context:5/5*",
      "context:6/6*",
      "context:7/7*",
      "hunk",
    ]);
    const gap1 = shown.indexOf("context:14/16*");
    expect(gap1).toBeGreaterThan(0);
    expect(shown.slice(gap1, gap1 + 21).at(-1)).toBe("expand:1:23");
    expect(shown.at(-1)).toBe("expand:2:37");
    // The text is the file's own, and an expanded line is marked as such (not commentable).
    const first = rows.find((r) => r.type === "line" && r.line.newNo === 16 && r.line.expanded);
    expect(first?.type === "line" && first.line.text).toBe("line 14");
  });
});
