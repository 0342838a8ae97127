// The agent sandbox needs bubblewrap (and socat for repositories with network access). On a fresh Debian or
// Ubuntu machine where Foreman runs as root, `npm start` installs them; elsewhere it says what to install.
// The server itself checks again and refuses runs without a sandbox (unless FOREMAN_SANDBOX=off).
import { execFileSync, spawnSync } from "node:child_process";

const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

export function ensureSandboxTools() {
  if (process.env.FOREMAN_SANDBOX === "off" || process.platform !== "linux") return;
  const missing = [
    ["bwrap", "bubblewrap"],
    ["socat", "socat"],
  ].filter(([command]) => !has(command));
  if (missing.length === 0) return;
  const packages = missing.map(([, pkg]) => pkg);
  if (process.getuid?.() === 0 && has("apt-get")) {
    console.log(`[foreman] installing ${packages.join(" and ")} for the agent sandbox (apt-get)`);
    try {
      execFileSync("sh", ["-c", `apt-get update -qq && apt-get install -y -qq ${packages.join(" ")}`], {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
      return;
    } catch {
      console.warn("[foreman] could not install them; runs will be refused until they are installed");
    }
  }
  console.warn(
    `[foreman] the agent sandbox needs ${packages.join(" and ")}: install ${packages.length > 1 ? "them" : "it"} (apt-get install ${packages.join(" ")}), or set FOREMAN_SANDBOX=off to run agents unconfined`,
  );
}
