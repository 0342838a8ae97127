import { ShieldAlert } from "lucide-react";
import { type SandboxStatus, SandboxUnavailableError } from "@/lib/sandbox/status";

/** Says so on every page when agents' commands can't be confined: runs are refused, or run unsandboxed. */
export function SandboxBanner({ status }: { status: SandboxStatus }) {
  if (status.mode === "bwrap") return null;
  const text =
    status.mode === "off"
      ? "The agent sandbox is off (FOREMAN_SANDBOX=off): agents' commands run with the server's rights, and every run is marked unsandboxed."
      : new SandboxUnavailableError(status.reason).message;
  return (
    <div
      role="alert"
      className="mx-auto mb-4 flex max-w-6xl items-start gap-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
      data-testid="sandbox-banner"
    >
      <ShieldAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>{text}</p>
    </div>
  );
}
