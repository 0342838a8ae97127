// `npm run bench:sandbox -- [--iterations N] [--breakdown]`
//
// What the per-run bubblewrap sandbox adds to one agent bash command (see ./bench/sandbox-overhead.ts):
// p50/p95/mean of `true` through runBash, bare vs sandboxed vs sandboxed with the egress proxy bridge, with
// the machine's load average. `--breakdown` adds rows that take the sandboxed launch apart. It prints
// figures; it asserts nothing. No database needed.
import { formatSandboxOverhead, measureSandboxOverhead } from "./bench/sandbox-overhead";

const options = { iterations: 200, breakdown: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i] ?? "";
  const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
  if (flag === "--iterations") {
    const n = Number(inline ?? argv[++i]);
    if (!Number.isInteger(n) || n < 1) {
      console.error("bench:sandbox: --iterations needs a positive integer");
      process.exit(2);
    }
    options.iterations = n;
  } else if (flag === "--breakdown") options.breakdown = true;
  else if (flag === "--help" || flag === "-h") {
    console.log("usage: npm run bench:sandbox -- [--iterations N=200] [--breakdown]");
    process.exit(0);
  } else {
    console.error(`bench:sandbox: unknown argument ${arg}`);
    process.exit(2);
  }
}

try {
  console.log(formatSandboxOverhead(await measureSandboxOverhead(options)));
} catch (error) {
  console.error("bench:sandbox failed:", error);
  process.exit(1);
}
process.exit(0);
