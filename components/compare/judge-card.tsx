import { AlertTriangle, Scale } from "lucide-react";
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { TimeAgo } from "@/components/ui/time-ago";
import type { JudgeView } from "@/lib/compare/judge-view";
import type { Attempt } from "@/lib/compare/queries";
import { formatUsd } from "@/lib/format";
import { AskJudgeForm } from "./ask-judge-form";
import { attemptLabel } from "./attempts-table";

const ACTIVE = new Set(["queued", "running", "waiting_approval", "verifying"]);

function Ranking({ judge, attempts }: { judge: JudgeView; attempts: Attempt[] }) {
  const byIndex = new Map(attempts.map((a) => [a.index, a]));
  return (
    <div className="grid gap-3">
      {judge.summary ? <p className="text-sm">{judge.summary}</p> : null}
      <ol className="grid gap-2" data-testid="judge-ranking">
        {(judge.ranking ?? []).map((place, i) => {
          const attempt = byIndex.get(place.index);
          return (
            <li key={place.branch} className="flex gap-3 rounded-md border px-3 py-2">
              <span className="tabular w-5 shrink-0 text-sm font-semibold text-muted-foreground">
                {i + 1}.
              </span>
              <div className="min-w-0">
                <div className="text-sm font-medium">
                  {attempt ? attemptLabel(attempt) : `Attempt ${place.index}`}
                  {i === 0 ? (
                    <span className="ml-2 text-xs font-normal text-accent">judge's pick</span>
                  ) : null}
                </div>
                <p className="whitespace-pre-wrap break-words text-sm text-muted-foreground">
                  {place.reasons}
                </p>
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/**
 * The optional judge of a Best-of-N task: an agent that reads every attempt (read-only) and ranks them with
 * reasons. The reviewer still decides: the ranking informs the promotion, it never makes one.
 */
export function JudgeCard({
  taskId,
  judge,
  attempts,
  agents,
  canAsk,
  blocked,
}: {
  taskId: string;
  judge: JudgeView | null;
  attempts: Attempt[];
  agents: { id: string; name: string; model: string }[];
  canAsk: boolean;
  blocked: string | null;
}) {
  const working = judge !== null && ACTIVE.has(judge.status);
  return (
    <Card data-testid="judge">
      <CardHeader
        title="Judge"
        description="An agent reads every attempt's diff, tests and summary in a read-only sandbox and ranks them with reasons. You still choose; its run and cost are counted apart from the attempts'."
      />
      <div className="grid gap-4 px-4 py-3">
        {judge ? (
          <div className="grid gap-3">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
              <Scale className="size-4" aria-hidden />
              <span className="font-medium text-foreground">{judge.agentName}</span>
              <span className="font-mono">{judge.model}</span>
              <RunStatusBadge status={judge.status} outcome={null} />
              <span className="tabular">
                {judge.steps} {judge.steps === 1 ? "step" : "steps"} ·{" "}
                {judge.unpriced ? "unpriced" : formatUsd(judge.costUsd)}
              </span>
              <span>
                asked <TimeAgo date={judge.askedAt} />
              </span>
              <Link href={`/runs/${judge.runId}`} className="font-medium text-accent hover:underline">
                {working ? "Watch it work" : "Its run"}
              </Link>
            </div>
            {judge.ranking ? (
              <>
                {judge.movedSince.length > 0 ? (
                  <p className="flex items-center gap-2 text-xs text-amber-700 dark:text-amber-300">
                    <AlertTriangle className="size-4" aria-hidden />
                    {judge.movedSince.map((i) => `Attempt ${i}`).join(" and ")}{" "}
                    {judge.movedSince.length === 1 ? "has" : "have"} changed since this ranking: ask again to
                    rank what is there now.
                  </p>
                ) : null}
                <Ranking judge={judge} attempts={attempts} />
              </>
            ) : working ? (
              <p className="text-sm text-muted-foreground">The judge is reading the attempts…</p>
            ) : (
              <p className="text-sm text-danger">
                The judge gave no ranking{judge.error ? `: ${judge.error}` : "."}
              </p>
            )}
          </div>
        ) : null}
        {canAsk && !working ? (
          <AskJudgeForm taskId={taskId} agents={agents} again={judge !== null} disabledReason={blocked} />
        ) : null}
      </div>
    </Card>
  );
}
