import { CircleX } from "lucide-react";
import { TimeAgo } from "@/components/ui/time-ago";
import type { MergeRefusal } from "@/lib/merge-queue/queries";

/** The tail of the output is where test runners print their failures. */
const SHOWN = 6_000;

/** Why the merge queue gave the task back: the merged tree's failing tests, or git's refusal. */
export function MergeRefusalNotice({ refusal, baseBranch }: { refusal: MergeRefusal; baseBranch: string }) {
  const output = refusal.output.length > SHOWN ? `…${refusal.output.slice(-SHOWN)}` : refusal.output;
  return (
    <details
      data-testid="merge-refusal"
      className="mb-3 rounded-md border border-red-500/30 bg-red-500/8 px-3 py-2 text-sm"
    >
      <summary className="flex cursor-pointer items-center gap-2">
        <CircleX className="size-4 shrink-0 text-red-600" aria-hidden />
        <span>
          {refusal.status === "refused" ? (
            <>
              Merge refused: tests that passed on the branch{" "}
              {refusal.exitCode === null ? "timed out" : `fail (exit ${refusal.exitCode})`} once merged into{" "}
              <span className="font-mono">{baseBranch}</span>. Nothing was merged.
            </>
          ) : (
            <>The queued merge could not land. Nothing was merged.</>
          )}{" "}
          <span className="text-muted-foreground">
            <TimeAgo date={new Date(refusal.finishedAt)} />
          </span>
        </span>
      </summary>
      <pre className="mt-2 max-h-72 overflow-auto rounded bg-surface p-2 font-mono text-xs whitespace-pre-wrap">
        {output || "(no output)"}
      </pre>
    </details>
  );
}
