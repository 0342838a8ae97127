import { ShieldAlert, ShieldCheck } from "lucide-react";
import type { RunView } from "@/lib/runs/views";

const NETWORK_TEXT = {
  none: "no network",
  allowlist: "network: named hosts",
  open: "network: open",
} as const;

/** How the run's commands were confined: the OS sandbox and its network policy, or unsandboxed. */
export function SandboxChip({ sandbox }: { sandbox: RunView["sandbox"] }) {
  if (!sandbox) return null;
  if (sandbox.mode === "off") {
    return (
      <span
        className="inline-flex items-center gap-1 font-medium text-red-600 dark:text-red-400"
        title="An admin turned the sandbox off (FOREMAN_SANDBOX=off): this run's commands ran with the server's rights."
        data-testid="run-sandbox"
      >
        <ShieldAlert className="size-3.5" aria-hidden />
        Unsandboxed
      </span>
    );
  }
  const hosts = sandbox.network === "allowlist" ? `: ${sandbox.allowedHosts.join(", ")}` : "";
  return (
    <span
      className="inline-flex items-center gap-1"
      title={`Every command ran in the OS sandbox (bubblewrap): the repository ${sandbox.readOnly ? "read-only" : "read-write"}, the system read-only, no access to Foreman's data or the host's services. Network policy: ${sandbox.network}${hosts}.`}
      data-testid="run-sandbox"
    >
      <ShieldCheck className="size-3.5 text-emerald-600 dark:text-emerald-400" aria-hidden />
      Sandboxed{sandbox.readOnly ? " read-only" : ""} · {NETWORK_TEXT[sandbox.network]}
      {hosts ? <span className="font-mono">{hosts.slice(1)}</span> : null}
    </span>
  );
}
