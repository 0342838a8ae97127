// The review page's diff model on a patch git really produced: numbering, split pairing, collapsed and
// binary files, comment threads placed after their last line.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { languageOf, tokenize } from "@/components/diff/highlight";
import { parsePatch } from "@/components/diff/parse-patch";
import { buildRows, commentsOutside, pairLines } from "@/components/diff/rows";
import { diffCommits } from "@/lib/git/diff";
import { git, makeTestRepos } from "@/lib/git/test-repos";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

describe("the diff model", () => {
  it("numbers lines, pairs them side by side, collapses big files and shows binaries as such", async () => {
    const { work } = repos;
    const big = Array.from({ length: 500 }, (_, i) => `line ${i}`).join("\n");
    fs.writeFileSync(path.join(work, "code.ts"), "const a = 1;\nconst b = 2;\nconst c = 3;\n");
    fs.writeFileSync(path.join(work, "big.txt"), `${big}\n`);
    git(work, "add", ".");
    git(work, "commit", "-q", "-m", "base");
    const from = git(work, "rev-parse", "HEAD").trim();
    fs.writeFileSync(
      path.join(work, "code.ts"),
      "const a = 1;\nconst b = 20; // changed\nconst c = 3;\nconst d = 4;\n",
    );
    fs.writeFileSync(path.join(work, "big.txt"), `${big.replaceAll("line", "LINE")}\n`);
    fs.writeFileSync(path.join(work, "pic.png"), Buffer.from([0, 1, 2, 3, 0, 255]));
    git(work, "add", ".");
    git(work, "commit", "-q", "-m", "change");
    // diffCommits works on a git directory it is given (Foreman's bare clone), never one it discovers.
    const diff = await diffCommits(path.join(work, ".git"), from, git(work, "rev-parse", "HEAD").trim());

    const patches = parsePatch(diff.patch);
    expect(patches).toHaveLength(diff.files.length);
    const codeIndex = diff.files.findIndex((f) => f.path === "code.ts");
    const code = patches[codeIndex];
    expect(code?.hunks[0]?.lines.map((l) => [l.kind, l.oldNo, l.newNo, l.text])).toEqual([
      ["context", 1, 1, "const a = 1;"],
      ["del", 2, null, "const b = 2;"],
      ["add", null, 2, "const b = 20; // changed"],
      ["context", 3, 3, "const c = 3;"],
      ["add", null, 4, "const d = 4;"],
    ]);
    const pairs = pairLines(code?.hunks[0]?.lines ?? []).map(([l, r]) => [
      l?.oldNo ?? null,
      r?.newNo ?? null,
    ]);
    expect(pairs).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [null, 4],
    ]);

    const comments = [
      { id: "c1", path: "code.ts", lineStart: 1, lineEnd: 2 },
      { id: "gone", path: "code.ts", lineStart: 40, lineEnd: 40 },
    ];
    const rows = buildRows({
      files: diff.files,
      patches,
      view: "unified",
      toggled: new Set(),
      comments,
      composing: { path: "code.ts", lineEnd: 4 },
    });
    const notes = rows.flatMap((r) => (r.type === "note" ? [[diff.files[r.file]?.path, r.note]] : []));
    expect(notes).toEqual([
      ["big.txt", "collapsed"],
      ["pic.png", "binary"],
    ]);
    const threads = rows.flatMap((r) => (r.type === "thread" ? [[r.line, r.commentIds, r.composing]] : []));
    expect(threads).toEqual([
      [2, ["c1"], false],
      [4, [], true],
    ]);
    expect(commentsOutside(rows, comments, diff.files)).toEqual(["gone"]);
    // Opening the big file shows its 1,000 changed lines.
    const opened = buildRows({
      files: diff.files,
      patches,
      view: "unified",
      toggled: new Set(["big.txt"]),
      comments: [],
      composing: null,
    });
    expect(opened.filter((r) => r.type === "line" && diff.files[r.file]?.path === "big.txt")).toHaveLength(
      1000,
    );

    expect(tokenize('const s = "x"; // note', languageOf("a.ts"))).toEqual([
      { kind: "keyword", text: "const" },
      { kind: "plain", text: " s = " },
      { kind: "string", text: '"x"' },
      { kind: "plain", text: "; " },
      { kind: "comment", text: "// note" },
    ]);
  });
});
