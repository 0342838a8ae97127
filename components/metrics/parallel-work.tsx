import { Card, CardHeader } from "@/components/ui/card";
import { formatUsd } from "@/lib/format";
import type { ParallelWork } from "@/lib/metrics/parallel-work";
import { Defined } from "./definition";

function ratio(part: number, whole: number): string {
  return whole === 0 ? "—" : `${part} of ${whole}`;
}

/** Many agents on one codebase: attempts per task, how well conflicts were foreseen, and the judges. */
export function ParallelWorkCard({ work }: { work: ParallelWork }) {
  const rows: { label: React.ReactNode; value: string; testId: string }[] = [
    {
      label: <Defined name="attemptsPerTask">Attempts per task</Defined>,
      value:
        work.attemptsPerTask === null
          ? "—"
          : `${work.attemptsPerTask.toFixed(work.attemptsPerTask % 1 === 0 ? 0 : 1)} (${work.multiAttemptTasks} with several agents)`,
      testId: "attempts-per-task",
    },
    {
      label: <Defined name="predictedConflicts">Predicted conflicts that became real</Defined>,
      value: ratio(work.predictedThatHappened, work.predictedConflicts),
      testId: "predicted-became-real",
    },
    {
      label: <Defined name="predictedConflicts">Real conflicts predicted beforehand</Defined>,
      value: ratio(work.realThatWerePredicted, work.realConflicts),
      testId: "real-were-predicted",
    },
    {
      label: <Defined name="judgeFirstPick">Judge's first pick promoted</Defined>,
      value: ratio(work.judgeFirstPickPromoted, work.judgedPromotions),
      testId: "judge-first-pick",
    },
    {
      label: <Defined name="judgeSpend">Judges' runs (counted apart)</Defined>,
      value: work.judgeRuns === 0 ? "—" : `${work.judgeRuns} · ${formatUsd(work.judgeSpendUsd)}`,
      testId: "judge-runs",
    },
  ];
  return (
    <Card data-testid="parallel-work">
      <CardHeader
        title="Parallel work"
        description={
          work.endedTasks === 0
            ? "No task ended in the period: these fill in as tasks merge or are discarded."
            : `Over the ${work.endedTasks} task${work.endedTasks === 1 ? "" : "s"} that ended in the period`
        }
      />
      <dl className="grid grid-cols-[1fr_max-content] gap-x-6 gap-y-1.5 px-4 py-3 text-sm">
        {rows.map((row) => (
          <div key={row.testId} className="contents">
            <dt className="text-muted-foreground">{row.label}</dt>
            <dd className="text-right tabular-nums" data-testid={row.testId}>
              {row.value}
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
