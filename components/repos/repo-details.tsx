import type * as React from "react";
import type { Repository } from "@/db/schema";
import { NetworkSummary } from "./network-summary";

/** A repository's settings for people who may read but not change them. */
export function RepoDetails({ repo }: { repo: Repository }) {
  const none = <span className="font-sans text-muted-foreground">None</span>;
  const rows: [string, React.ReactNode, boolean][] = [
    ["Name", repo.name, false],
    ["Source", repo.source, true],
    ["Default branch", repo.defaultBranch, true],
    ["Merge strategy", repo.mergeStrategy === "squash" ? "Squash" : "Merge commit", false],
    ["Setup command", repo.setupCommand ?? none, true],
    ["Test command", repo.testCommand ?? none, true],
    [
      "Network",
      <NetworkSummary key="network" network={repo.network} allowedHosts={repo.allowedHosts} />,
      false,
    ],
  ];
  return (
    <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-3 text-sm">
      {rows.map(([label, value, mono]) => (
        <div key={label} className="contents">
          <dt className="text-muted-foreground">{label}</dt>
          <dd className={mono ? "break-all font-mono text-xs leading-5" : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
