import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDuration, formatMoney, formatPercent } from "@/lib/metrics/format";
import type { GroupMetrics } from "@/lib/metrics/group-metrics";
import { Defined } from "./definition";

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
  /** Links a group's numbers to its runs; `outcome` scopes them to the tasks that ended. */
  runsHref: (key: string, outcome?: "ended" | "merged") => string;
  testId: string;
}) {
  return (
    <Card data-testid={testId}>
      <CardHeader title={title} description={description} />
      {rows.length === 0 ? (
        <p className="px-4 py-6 text-sm text-muted-foreground">
          Nothing ran in this period. Assign a task from the Board and its numbers appear here.
        </p>
      ) : (
        <Table className="tabular-nums">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th className="text-right">
                <Defined name="successRate">Success rate</Defined>
              </Th>
              <Th className="text-right">95% interval</Th>
              <Th className="text-right">
                <Defined name="costPerMergedChange">Cost / merged</Defined>
              </Th>
              <Th className="text-right">
                <Defined name="duration">Median duration</Defined>
              </Th>
              <Th className="text-right">
                <Defined name="verificationPassRate">Verification</Defined>
              </Th>
              <Th className="text-right">
                <Defined name="spend">Spend</Defined>
              </Th>
              <Th className="text-right">Runs</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const key = row.key ?? "";
              return (
                <tr key={key} data-row={row.label}>
                  <Td className="font-medium">{row.label}</Td>
                  <Td className="text-right">
                    <Link href={runsHref(key, "ended")} className="hover:underline" data-cell="success">
                      {formatPercent(row.successRate)}
                    </Link>{" "}
                    <span className="text-xs text-muted-foreground">
                      ({row.tasks.merged}/{row.tasks.ended})
                    </span>
                  </Td>
                  <Td className="text-right text-xs text-muted-foreground">
                    {row.successInterval
                      ? `${formatPercent(row.successInterval.low)}–${formatPercent(row.successInterval.high)}`
                      : "—"}
                  </Td>
                  <Td className="text-right">
                    <Link
                      href={runsHref(key, "merged")}
                      className="hover:underline"
                      data-cell="cost-per-merged"
                    >
                      {formatMoney(row.costPerMergedChange, row.mergedWithUnpricedRuns > 0)}
                    </Link>
                  </Td>
                  <Td className="text-right">{formatDuration(row.duration.p50Ms)}</Td>
                  <Td className="text-right">
                    {formatPercent(row.verification.passRate)}{" "}
                    <span className="text-xs text-muted-foreground">
                      ({row.verification.passed}/{row.verification.verified})
                    </span>
                  </Td>
                  <Td className="text-right">
                    <Link href={runsHref(key)} className="hover:underline" data-cell="spend">
                      {formatMoney(row.spend)}
                    </Link>
                    {row.unpricedRuns > 0 ? (
                      <span
                        className="ml-1 text-xs text-warning"
                        title={`${row.unpricedRuns} unpriced run(s)`}
                      >
                        +unpriced
                      </span>
                    ) : null}
                  </Td>
                  <Td className="text-right">
                    <Link href={runsHref(key)} className="hover:underline" data-cell="runs">
                      {row.runs}
                    </Link>
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
