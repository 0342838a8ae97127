// Whether a process the test started is still running on the host: found by its command line, zombies
// (exited, not yet reaped by whoever adopted them) counted as gone.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

export function alive(marker: string): boolean {
  let pids: string[];
  try {
    pids = execFileSync("pgrep", ["-f", marker], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return false;
  }
  return pids.some((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return !["Z", "X"].includes(stat.slice(stat.lastIndexOf(")") + 2)[0] ?? "");
    } catch {
      return false;
    }
  });
}
