import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Tooltip } from "@/components/ui/tooltip";
import { formatDuration, formatMoney, formatPercent } from "@/lib/metrics/format";
import type { GroupMetrics } from "@/lib/metrics/group-metrics";
import type { RunScope } from "@/lib/metrics/runs-list";
import { cn } from "@/lib/utils";
import { Defined } from "./definition";

type RunsHref = (key: string, extra?: { scope?: RunScope; verified?: "1" }) => string;

/** A number that links to the runs behind it. */
function RunsLink({ href, cell, children }: { href: string; cell: string; children: React.ReactNode }) {
  return (
    <Link href={href} className="hover:underline" data-cell={cell}>
      {children}
    </Link>
  );
}

/** A table of groups; the agent leaderboard and the breakdown by the chosen grouping share it. */
export function GroupTable({
  title,
  description,
  rows,
  runsHref,
  testId,
}: {
  title: string;
  description: string;
  rows: GroupMetrics[];
  /** Links a group's number to the runs behind it (see RunsFilter: scope, verified). */
  runsHref: RunsHref;
  testId: string;
}) {
  const head = "whitespace-nowrap text-right";
  return (
    <Card data-testid={testId}>
      <CardHeader title={title} description={description} />
      {rows.length === 0 ? (
        <p className="px-4 py-6 text-sm text-muted-foreground">
          Nothing ran in this period. Assign a task from the Board and its numbers appear here.
        </p>
      ) : (
        <Table className="tabular-nums [&_td]:px-3 [&_th]:px-3">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th className={head}>
                <Defined name="successRate">Success rate</Defined>
              </Th>
              <Th className={head}>
                <Defined name="costPerMergedChange">Cost / merged</Defined>
              </Th>
              <Th className={head}>
                <Defined name="duration">Median run</Defined>
              </Th>
              <Th className={head}>
                <Defined name="verificationPassRate">Tests pass</Defined>
              </Th>
              <Th className={head}>
                <Defined name="spend">Spend</Defined>
              </Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const key = row.key ?? "";
              const interval = row.successInterval;
              return (
                <tr key={key} data-row={row.label}>
                  <Td className="font-medium">
                    <span className={cn(testId === "leaderboard" && "flex items-baseline gap-2")}>
                      {testId === "leaderboard" ? (
                        <span className="w-4 text-xs text-muted-foreground tabular-nums">{i + 1}</span>
                      ) : null}
                      {row.label}
                    </span>
                  </Td>
                  <Td className="text-right">
                    <RunsLink href={runsHref(key, { scope: "ended" })} cell="success">
                      <span className="font-medium">{formatPercent(row.successRate)}</span>
                    </RunsLink>
                    <div className="whitespace-nowrap text-xs text-muted-foreground">
                      {row.tasks.merged}/{row.tasks.ended}
                      {interval ? (
                        <>
                          {" · "}
                          <RunsLink href={runsHref(key, { scope: "ended" })} cell="interval">
                            {`${Math.round(interval.low * 100)}–${formatPercent(interval.high)}`}
                          </RunsLink>
                        </>
                      ) : null}
                    </div>
                  </Td>
                  <Td className="text-right">
                    <RunsLink href={runsHref(key, { scope: "merged" })} cell="cost-per-merged">
                      {formatMoney(row.costPerMergedChange, row.mergedWithUnpricedRuns > 0)}
                    </RunsLink>
                  </Td>
                  <Td className="whitespace-nowrap text-right">
                    <RunsLink href={runsHref(key)} cell="duration">
                      {formatDuration(row.duration.p50Ms)}
                    </RunsLink>
                  </Td>
                  <Td className="whitespace-nowrap text-right">
                    <RunsLink href={runsHref(key, { verified: "1" })} cell="verification">
                      {formatPercent(row.verification.passRate)}
                    </RunsLink>
                    <div className="text-xs text-muted-foreground">
                      {row.verification.passed}/{row.verification.verified}
                    </div>
                  </Td>
                  <Td className="whitespace-nowrap text-right">
                    <RunsLink href={runsHref(key)} cell="spend">
                      {formatMoney(row.spend)}
                    </RunsLink>
                    <div className="text-xs text-muted-foreground">
                      <RunsLink href={runsHref(key)} cell="runs">
                        {row.runs} run{row.runs === 1 ? "" : "s"}
                      </RunsLink>
                    </div>
                    {row.unpricedRuns > 0 ? (
                      <Tooltip
                        content={`${row.unpricedRuns} run${row.unpricedRuns === 1 ? "" : "s"} on unpriced models: cost unknown, not included.`}
                      >
                        <button type="button" className="cursor-help text-xs text-warning">
                          +unpriced
                        </button>
                      </Tooltip>
                    ) : null}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
