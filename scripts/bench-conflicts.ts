// `npm run bench:conflicts -- [--branches 50] [--files 400] [--per-branch 6]`
//
// Predicted conflicts on one repository with many open branches (lib/conflicts/predict.ts, real git):
// a repository of F files, B branches off main each editing a few files (some lines shared with other
// branches, so some pairs conflict and some merge cleanly), then every pair predicted from cold caches,
// and again after one branch moved (the case the watcher meets at each checkpoint). Prints figures.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { predictOverlaps } from "@/lib/conflicts/predict";
import { fmt, table } from "./bench/stats";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
}
const B = option("branches", 50);
const F = option("files", 400);
const PER = option("per-branch", 6);

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-bench-conflicts-"));
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
const fileName = (i: number) => `src/module-${String(i).padStart(4, "0")}.ts`;
const body = (i: number) => Array.from({ length: 80 }, (_, line) => `export const v${i}_${line} = ${line};`);

fs.mkdirSync(path.join(dir, "src"));
for (let i = 0; i < F; i++) fs.writeFileSync(path.join(dir, fileName(i)), `${body(i).join("\n")}\n`);
git("init", "-q", "-b", "main");
git("add", ".");
git("commit", "-q", "-m", "base");
const base = git("rev-parse", "HEAD");
// A small pool of "hot" files most branches touch, at one of two lines: real conflicts and clean overlaps.
const hot = Math.max(4, Math.floor(F / 40));
const heads: { owner: string; sha: string }[] = [];
for (let b = 0; b < B; b++) {
  git("checkout", "-q", "-b", `task-${b}`, base);
  for (let k = 0; k < PER; k++) {
    const i = k < 2 ? Math.floor(random() * hot) : Math.floor(random() * F);
    const lines = fs.readFileSync(path.join(dir, fileName(i)), "utf8").split("\n");
    const at = random() < 0.5 ? 3 : 60;
    lines[at] = `export const changed_by_task_${b}_${k} = true;`;
    fs.writeFileSync(path.join(dir, fileName(i)), lines.join("\n"));
  }
  git("commit", "-q", "-am", `task ${b}`);
  heads.push({ owner: `task-${b}`, sha: git("rev-parse", "HEAD") });
}
const gitDir = path.join(dir, ".git");

const t0 = performance.now();
const cold = await predictOverlaps(gitDir, base, heads);
const coldMs = performance.now() - t0;

// One branch moves (a checkpoint): only its pairs are new work.
git("checkout", "-q", "task-0");
fs.appendFileSync(path.join(dir, fileName(0)), "// one more step\n");
git("commit", "-q", "-am", "step");
heads[0] = { owner: "task-0", sha: git("rev-parse", "HEAD") };
const t1 = performance.now();
const warm = await predictOverlaps(gitDir, base, heads);
const warmMs = performance.now() - t1;

const pairs = (B * (B - 1)) / 2;
console.log(
  `\nbench:conflicts — ${B} open branches, ${F} files, ${PER} files edited per branch; ${os.cpus().length} cores\n`,
);
console.log(
  table(
    ["figure", "value", "target"],
    [
      ["pairs of branches", fmt(pairs), ""],
      ["pairs changing a file in common", fmt(cold.length), ""],
      ["of those, conflicts predicted", fmt(cold.filter((o) => o.conflicts.length > 0).length), ""],
      ["all pairs, cold (s)", fmt(coldMs / 1000, 2), "≤ 5 s"],
      ["after one branch moved (s)", fmt(warmMs / 1000, 2), ""],
      ["overlaps after the move", fmt(warm.length), ""],
    ],
  ),
);
fs.rmSync(dir, { recursive: true, force: true });
