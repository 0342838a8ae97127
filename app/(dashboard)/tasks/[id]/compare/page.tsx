import { Columns2, FileDiff } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AttemptOverlaps } from "@/components/compare/attempt-overlaps";
import { AttemptsTable } from "@/components/compare/attempts-table";
import { type CompareShown, DiffTabs } from "@/components/compare/diff-tabs";
import { JudgeCard } from "@/components/compare/judge-card";
import { ReviewWorkspace } from "@/components/review/review-workspace";
import { TaskWatcher } from "@/components/review/task-watcher";
import { BackLink } from "@/components/tasks/back-link";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TaskStatusBadge } from "@/components/ui/status-badge";
import { listAgents } from "@/lib/agents/service";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { judgeBlocked } from "@/lib/compare/judge";
import { type CompareData, diffBetweenAttempts, getCompare } from "@/lib/compare/queries";
import { AppError } from "@/lib/errors";
import { formatUsd } from "@/lib/format";
import type { BranchDiff } from "@/lib/git/diff";

export const metadata: Metadata = { title: "Compare attempts" };

function shownFrom(query: { show?: string; a?: string; b?: string }, count: number): CompareShown {
  const index = (raw: string | undefined) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= count ? n : null;
  };
  const a = index(query.a);
  const b = index(query.b);
  if (a && b && a !== b) return { kind: "between", a, b };
  return { kind: "attempt", index: index(query.show) ?? 1 };
}

/** The diff shown, or why there is none. */
async function shownDiff(
  actor: Awaited<ReturnType<typeof requireActor>>,
  data: CompareData,
  shown: CompareShown,
): Promise<{ diff: BranchDiff | null; error: string | null; title: string }> {
  const at = (i: number) => data.attempts[i - 1];
  if (shown.kind === "attempt") {
    const attempt = at(shown.index);
    return {
      diff: attempt?.diff ?? null,
      error: attempt?.diffError ?? null,
      title: `Attempt ${shown.index} against ${data.task.baseBranch}`,
    };
  }
  const [a, b] = [at(shown.a), at(shown.b)];
  const title = `From attempt ${shown.a} to attempt ${shown.b}`;
  if (!a || !b) return { diff: null, error: "Choose two attempts.", title };
  try {
    return {
      diff: await diffBetweenAttempts(actor, data.task.id, { a: a.runId, b: b.runId }),
      error: null,
      title,
    };
  } catch (error) {
    return { diff: null, error: error instanceof Error ? error.message : String(error), title };
  }
}

/** Agents that judge, those that made none of the attempts first (a judge of its own work is a weaker one). */
function judgeCandidates(
  agents: { id: string; name: string; model: string }[],
  attempts: { agentName: string }[],
) {
  const made = new Set(attempts.map((a) => a.agentName));
  return [...agents]
    .sort((a, b) => Number(made.has(a.name)) - Number(made.has(b.name)))
    .map((a) => ({
      id: a.id,
      name: made.has(a.name) ? `${a.name} (made an attempt)` : a.name,
      model: a.model,
    }));
}

export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ show?: string; a?: string; b?: string }>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const actor = await requireActor();
  let data: CompareData;
  try {
    data = await getCompare(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const { task, attempts } = data;
  const header = (
    <>
      <BackLink href={`/tasks/${task.id}`}>Task #{task.number}</BackLink>
      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="flex min-w-0 items-center gap-2">
          <span className="tabular text-lg text-muted-foreground">#{task.number}</span>
          <h1 className="truncate text-lg font-semibold tracking-tight">Compare: {task.title}</h1>
          <TaskStatusBadge status={task.status} />
        </div>
        <div className="ml-auto flex items-center gap-3 text-xs text-muted-foreground">
          <span className="tabular">
            {attempts.length} attempts · {formatUsd(data.totalCostUsd)} in all
          </span>
          <Link href={`/tasks/${task.id}/review`} className="font-medium text-accent hover:underline">
            Review
          </Link>
        </div>
      </div>
    </>
  );
  if (attempts.length < 2) {
    return (
      <div className="max-w-5xl">
        {header}
        <EmptyState icon={Columns2} title="Nothing to compare yet">
          Compare shows the attempts of a task given to several agents side by side. This task has{" "}
          {attempts.length === 1 ? "one attempt" : "no attempt yet"}; assign a new task to two or more agents
          (the “Also assign to” field of the new task form) to compare their work.
        </EmptyState>
      </div>
    );
  }

  const shown = shownFrom(query, attempts.length);
  const agents = can(actor, "tasks:review") ? await listAgents(actor) : [];
  const { diff, error, title } = await shownDiff(actor, data, shown);
  const promoteBlocked = task.mergedBranch
    ? "One attempt was merged."
    : task.promotedBranch
      ? "One attempt was promoted."
      : data.anyRunActive
        ? "An agent is still working on this task. Wait for every run to end."
        : ["queued", "running", "merged", "discarded", "cancelled"].includes(task.status)
          ? `This task is ${task.status}.`
          : null;

  return (
    // data-wide: attempts side by side and a diff need the whole width.
    <div data-wide className="flex flex-col gap-4 pb-6">
      <TaskWatcher taskId={task.id} version={data.version} />
      <div>
        {header}
        <Card>
          <CardHeader
            title="Attempts"
            description={
              task.promotedBranch
                ? `${task.promotedBranch} was promoted; the other attempts were closed with their branches.`
                : "Each agent worked on its own branch. Promote the best one: the others are closed with their branches."
            }
          />
          <AttemptsTable
            taskId={task.id}
            attempts={attempts}
            canPromote={can(actor, "tasks:review")}
            promoteBlocked={promoteBlocked}
            judgePick={data.judge?.ranking?.[0]?.branch ?? null}
          />
        </Card>
      </div>
      <JudgeCard
        taskId={task.id}
        judge={data.judge}
        attempts={attempts}
        agents={judgeCandidates(agents, attempts)}
        canAsk={can(actor, "tasks:review")}
        blocked={judgeBlocked(data)}
      />
      <Card>
        <CardHeader title="Predicted conflicts between attempts" />
        <AttemptOverlaps attempts={attempts} overlaps={data.overlaps} />
      </Card>
      <Card className="flex h-[75vh] min-h-96 flex-col overflow-hidden">
        <DiffTabs taskId={task.id} attempts={attempts} shown={shown} />
        <h2
          className="border-b px-4 py-1.5 text-xs font-medium text-muted-foreground"
          data-testid="diff-title"
        >
          {title}
          {diff ? (
            <span className="tabular">
              {" "}
              · {diff.files.length} {diff.files.length === 1 ? "file" : "files"}
            </span>
          ) : null}
        </h2>
        <div className="min-h-0 flex-1">
          {diff && diff.files.length === 0 && shown.kind === "between" ? (
            <div className="p-6">
              <EmptyState icon={FileDiff} title="The two attempts are identical">
                Attempt {shown.a} and attempt {shown.b} end with the same files: either one brings the same
                change.
              </EmptyState>
            </div>
          ) : diff ? (
            <ReviewWorkspace
              key={`${shown.kind}-${diff.fromSha}-${diff.toSha}`}
              taskId={task.id}
              runId={null}
              headSha={diff.toSha}
              files={diff.files}
              patch={diff.patch}
              comments={[]}
              view="unified"
              canComment={false}
              viewer={{ id: actor.userId, isAdmin: false }}
            />
          ) : (
            <div className="p-6">
              <EmptyState icon={FileDiff} title="No diff to show">
                {error ?? "This attempt has no changes."}
              </EmptyState>
            </div>
          )}
        </div>
      </Card>
    </div>
  );
}
