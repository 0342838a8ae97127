import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseHunks, predictOverlaps } from "./predict";

/** A repository with main and four branches off it, each changing what its name says. */
function repository() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-predict-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    }).trim();
  const lines = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`);
  const write = (file: string, content: string[]) =>
    fs.writeFileSync(path.join(dir, file), `${content.join("\n")}\n`);
  git("init", "-q", "-b", "main");
  write("a.ts", lines);
  write("b.ts", ["export const b = 1;"]);
  git("add", ".");
  git("commit", "-q", "-m", "base");
  const base = git("rev-parse", "HEAD");
  const branch = (name: string, change: () => void) => {
    git("checkout", "-q", "-b", name, base);
    change();
    git("commit", "-q", "-am", name);
    return git("rev-parse", "HEAD");
  };
  const heads = {
    top: branch("top", () => write("a.ts", ["line one", ...lines.slice(1)])),
    topToo: branch("top-too", () => write("a.ts", ["first line", ...lines.slice(1)])),
    bottom: branch("bottom", () => write("a.ts", [...lines.slice(0, 59), "line sixty"])),
    other: branch("other", () => write("b.ts", ["export const b = 2;"])),
  };
  // main moves on after the branches left it: its own change to b.ts is nobody's overlap.
  git("checkout", "-q", "main");
  write("b.ts", ["export const b = 3;"]);
  git("commit", "-q", "-am", "main moves");
  return { gitDir: path.join(dir, ".git"), base, heads };
}

describe("predicted conflicts", () => {
  it("finds a conflict on the same lines, none on distant lines of one file, and no overlap on different files", async () => {
    const { gitDir, base, heads } = repository();
    const overlaps = await predictOverlaps(gitDir, base, [
      { owner: "task-1", sha: heads.top },
      { owner: "task-2", sha: heads.topToo },
      { owner: "task-3", sha: heads.bottom },
      { owner: "task-4", sha: heads.other },
    ]);
    const summary = overlaps.map((o) => [o.a.owner, o.b.owner, o.files, o.conflicts]);
    expect(summary).toEqual([
      ["task-1", "task-2", ["a.ts"], ["a.ts"]],
      ["task-1", "task-3", ["a.ts"], []],
      ["task-2", "task-3", ["a.ts"], []],
    ]);
  });

  it("never compares two attempts at the same task, and a branch with no change overlaps nothing", async () => {
    const { gitDir, base, heads } = repository();
    const overlaps = await predictOverlaps(gitDir, base, [
      { owner: "task-1", sha: heads.top },
      { owner: "task-1", sha: heads.topToo },
      { owner: "task-2", sha: base },
    ]);
    expect(overlaps).toEqual([]);
  });
});

describe("reading a branch's changed lines", () => {
  it("takes each hunk's old-side lines, insertions as a gap, and whole files for added, deleted and binary", () => {
    const patch = [
      "diff --git a/src/a.ts b/src/a.ts",
      "index 1..2 100644",
      "--- a/src/a.ts",
      "+++ b/src/a.ts",
      "@@ -3 +3 @@",
      "-x",
      "+y",
      "@@ -10,4 +10,0 @@",
      "@@ -20,0 +17,2 @@",
      "diff --git a/new.ts b/new.ts",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/new.ts",
      "@@ -0,0 +1 @@",
      "diff --git a/logo.png b/logo.png",
      "Binary files a/logo.png and b/logo.png differ",
    ].join("\n");
    expect(Object.fromEntries(parseHunks(patch))).toEqual({
      "src/a.ts": [
        [3, 3],
        [10, 13],
        [20.5, 20.5],
      ],
      "new.ts": "whole",
      "logo.png": "whole",
    });
  });
});
