import type { NetworkPolicy } from "@/db/schema";

export const NETWORK_LABELS: Record<NetworkPolicy, string> = {
  none: "None",
  allowlist: "Allowlist",
  open: "Open",
};

export const NETWORK_DESCRIPTIONS: Record<NetworkPolicy, string> = {
  none: "commands can't reach the network",
  allowlist: "only the hosts listed, through Foreman's egress proxy",
  open: "any public host",
};

/** A repository's network policy in words, with its allowed hosts; for its details and its form. */
export function NetworkSummary({
  network,
  allowedHosts,
}: {
  network: NetworkPolicy;
  allowedHosts: string[];
}) {
  return (
    <div className="grid gap-1">
      <span>
        {NETWORK_LABELS[network]}
        <span className="text-muted-foreground"> — {NETWORK_DESCRIPTIONS[network]}</span>
      </span>
      {network === "allowlist" ? (
        <ul className="flex flex-wrap gap-1.5">
          {allowedHosts.map((host) => (
            <li key={host} className="rounded border bg-muted px-1.5 py-0.5 font-mono text-xs">
              {host}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
