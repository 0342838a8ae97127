// `npm run bench:sandbox -- [--iterations N] [--gap MS] [--breakdown]`
//
// What the per-run bubblewrap sandbox adds to one agent bash command (see ./bench/sandbox-overhead.ts):
// p50/p95/mean of `true` through runBash, bare vs sandboxed vs sandboxed with the egress proxy bridge, with
// a pause before each command (`--gap`, default 100 ms: an agent's commands are seconds apart, so the
// sandbox's next bwrap is ready) and back to back, and the machine's load average. `--breakdown` adds a
// sandbox's first command (no bwrap made ahead yet) and Node's bare spawn of /bin/true. It prints figures;
// it asserts nothing. No database needed.
import { formatSandboxOverhead, measureSandboxOverhead } from "./bench/sandbox-overhead";

const options = { iterations: 200, gapMs: 100, breakdown: false };
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
  } else if (flag === "--gap") {
    const n = Number(inline ?? argv[++i]);
    if (!Number.isFinite(n) || n < 0) {
      console.error("bench:sandbox: --gap needs milliseconds (0 or more)");
      process.exit(2);
    }
    options.gapMs = n;
  } else if (flag === "--breakdown") options.breakdown = true;
  else if (flag === "--help" || flag === "-h") {
    console.log("usage: npm run bench:sandbox -- [--iterations N=200] [--gap MS=100] [--breakdown]");
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
