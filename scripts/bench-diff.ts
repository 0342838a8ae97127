// `npm run bench:diff -- [--files N] [--lines L] [--viewport PX]`
//
// How the review page copes with a big diff. It makes a real git repository whose branch rewrites half the
// lines of N files of L lines (defaults: 25 × 600, a patch of 15,000+ lines), reads the diff with the same
// git code the review page uses, then times what the browser does with it: parsing the patch and building
// the row model (unified and split), and asks the same virtualiser the diff view uses (@tanstack's
// virtual-core, same row height estimates and overscan) how many rows it mounts for a viewport of PX
// pixels at the top, middle and end of the diff. It prints figures; it asserts nothing.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Virtualizer } from "@tanstack/virtual-core";
import { languageOf, tokenize } from "@/components/diff/highlight";
import { parsePatch } from "@/components/diff/parse-patch";
import { buildRows, estimateRowHeight, OVERSCAN, type Row, startsCollapsed } from "@/components/diff/rows";
import { diffCommits } from "@/lib/git/diff";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const FILES = option("files", 25);
const LINES = option("lines", 600);
const VIEWPORT = option("viewport", 900);
const REPEAT = 15;

function makeRepository(): { dir: string; from: string; to: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-bench-diff-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@localhost", ...args], {
      cwd: dir,
      encoding: "utf8",
    }).trim();
  git("init", "-q", "-b", "main");
  const write = (edit: boolean) => {
    for (let f = 0; f < FILES; f++) {
      const lines = Array.from({ length: LINES }, (_, i) =>
        edit && i % 2 === 0
          ? `export const value${i} = compute(${i}, "changed by the agent"); // step ${f}`
          : `export const value${i} = compute(${i}, "original"); // file ${f}`,
      );
      fs.mkdirSync(path.join(dir, "src", `module-${f % 5}`), { recursive: true });
      fs.writeFileSync(path.join(dir, "src", `module-${f % 5}`, `file-${f}.ts`), `${lines.join("\n")}\n`);
    }
    git("add", ".");
    git("commit", "-q", "-m", edit ? "edit" : "base");
    return git("rev-parse", "HEAD");
  };
  const from = write(false);
  const to = write(true);
  return { dir, from, to };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function time<T>(fn: () => T): { result: T; ms: number[] } {
  const ms: number[] = [];
  let result = fn(); // warm-up, as a page that has loaded its code
  for (let i = 0; i < REPEAT; i++) {
    const start = performance.now();
    result = fn();
    ms.push(performance.now() - start);
  }
  return { result, ms };
}

/** The rows the diff view would mount with the scroll position at `offset`. */
function mounted(rows: Row[], offset: number) {
  const virtualizer = new Virtualizer<HTMLDivElement, HTMLDivElement>({
    count: rows.length,
    estimateSize: (index) => estimateRowHeight(rows[index] as Row),
    overscan: OVERSCAN,
    getScrollElement: () => null,
    initialRect: { width: 1200, height: VIEWPORT },
    initialOffset: offset,
    scrollToFn: () => {},
    observeElementRect: () => {},
    observeElementOffset: () => {},
  });
  return { items: virtualizer.getVirtualItems(), total: virtualizer.getTotalSize() };
}

const { dir, from, to } = makeRepository();
try {
  const started = performance.now();
  const diff = await diffCommits(path.join(dir, ".git"), from, to);
  const gitMs = performance.now() - started;
  const patchLines = diff.patch.split("\n").length;
  const parsed = time(() => parsePatch(diff.patch));
  const patches = parsed.result;
  // Every file open, as if the reviewer expanded the big ones too: the worst case for the row model.
  const toggled = new Set(diff.files.filter((f, i) => startsCollapsed(f, patches[i])).map((f) => f.path));
  const model = (view: "unified" | "split") =>
    time(() => buildRows({ files: diff.files, patches, view, toggled, comments: [], composing: null }));
  const unified = model("unified");
  const split = model("split");
  const rows = unified.result;
  const total = mounted(rows, 0).total;
  const positions = { top: 0, middle: Math.round(total / 2), end: Math.max(0, total - VIEWPORT) };
  const counts = Object.entries(positions).map(([where, offset]) => [
    where,
    mounted(rows, offset).items.length,
  ]);
  const screen = mounted(rows, positions.middle).items.map((item) => rows[item.index] as Row);
  const tokenizeMs = time(() => {
    let tokens = 0;
    for (const row of screen) {
      if (row.type === "line")
        tokens += tokenize(row.line.text, languageOf(diff.files[row.file]?.path ?? "")).length;
    }
    return tokens;
  }).ms;

  const fmt = (ms: number[]) => `${median(ms).toFixed(1)} ms (max ${Math.max(...ms).toFixed(1)})`;
  console.log(
    `diff: ${diff.files.length} files, +${diff.files.reduce((n, f) => n + f.additions, 0)} −${diff.files.reduce((n, f) => n + f.deletions, 0)}, ${patchLines.toLocaleString("en")} patch lines, ${(diff.patch.length / 1024).toFixed(0)} KB`,
  );
  console.log(`git diff (file list, counts, patch): ${gitMs.toFixed(0)} ms`);
  console.log(`parse patch:                 ${fmt(parsed.ms)}   median of ${REPEAT}`);
  console.log(
    `row model, unified:          ${fmt(unified.ms)}   ${unified.result.length.toLocaleString("en")} rows`,
  );
  console.log(
    `row model, split:            ${fmt(split.ms)}   ${split.result.length.toLocaleString("en")} rows`,
  );
  console.log(`highlight one screen:        ${fmt(tokenizeMs)}`);
  console.log(
    `rows mounted by the virtual list (viewport ${VIEWPORT}px, overscan ${OVERSCAN}): ${counts.map(([w, n]) => `${w} ${n}`).join(", ")} of ${rows.length.toLocaleString("en")}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
