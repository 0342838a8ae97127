"use client";

import { FileCode, Hand, Loader2, ShieldCheck, ShieldX, Terminal } from "lucide-react";
import { useContext } from "react";
import { payloadOf } from "@/lib/events/run-event";
import type { ToolItem } from "@/lib/runs/timeline";
import { cn } from "@/lib/utils";
import { ApprovalButtons } from "./approval-buttons";
import { duration, ExitCode, Meta, Mono, Output, TimelineContext, toneClass } from "./step-parts";

/** A tool the model called, inside its step: the command or edit, its approval, and its result. */
export function ToolCall({ tool }: { tool: ToolItem }) {
  const { active } = useContext(TimelineContext);
  const call = payloadOf(tool.call, "tool_call");
  const input = (call.input ?? {}) as Record<string, unknown>;
  const r = tool.result ? payloadOf(tool.result, "tool_result") : null;
  const isBash = call.name === "bash";
  const Icon = isBash ? Terminal : FileCode;
  const waiting = tool.approval && !tool.approval.decision;
  return (
    <div className="grid min-w-0 gap-1.5 border-l-2 pl-3" data-testid="tool-call">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5">
        <div className="flex min-w-0 items-center gap-1.5 text-sm">
          <Icon
            className={cn("size-3.5 shrink-0", toneClass(r?.isError ? "danger" : "default"))}
            aria-hidden
          />
          {isBash ? (
            <span>Ran a command{call.resumed ? " (resumed)" : ""}</span>
          ) : (
            <span className="min-w-0">
              Editor <Mono>{String(input.command ?? "")}</Mono> <Mono>{String(input.path ?? "")}</Mono>
            </span>
          )}
        </div>
        <div className="tabular text-xs text-muted-foreground">
          {r ? (
            <Meta
              parts={[
                isBash ? <ExitCode key="x" code={r.exitCode} /> : r.isError ? "error" : null,
                duration(r.durationMs),
              ]}
            />
          ) : waiting ? (
            "waiting for approval"
          ) : active ? (
            <span className="inline-flex items-center gap-1">
              <Loader2 className="size-3 animate-spin" aria-hidden /> running…
            </span>
          ) : (
            "no result"
          )}
        </div>
      </div>
      {isBash ? (
        <pre className="whitespace-pre-wrap break-all rounded-md bg-muted px-3 py-1.5 font-mono text-xs">
          <span className="select-none text-muted-foreground">$ </span>
          {input.restart ? "(restart the shell)" : String(input.command ?? "")}
        </pre>
      ) : (
        <EditInput input={input} />
      )}
      {tool.approval ? <Approval approval={tool.approval} /> : null}
      {r ? (
        <>
          <Output text={r.content} />
          {r.resumed ? (
            <p className="text-xs text-muted-foreground">Run again after its worker stopped.</p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** A risky command waits for a person: Approve/Deny for those allowed, then who decided. */
function Approval({ approval }: { approval: NonNullable<ToolItem["approval"]> }) {
  const { runId, active, canApprove } = useContext(TimelineContext);
  const request = payloadOf(approval.request, "approval_requested");
  if (approval.decision) {
    const d = payloadOf(approval.decision, "approval_decided");
    const Icon = d.approved ? ShieldCheck : ShieldX;
    return (
      <p className="flex items-center gap-1.5 text-xs" data-testid="approval-decision">
        <Icon className={cn("size-3.5", toneClass(d.approved ? "success" : "danger"))} aria-hidden />
        <span>
          {d.approved ? "Approved" : "Denied"} by {d.by.name}
        </span>
        <span className="text-muted-foreground">· waited {duration(d.waitedMs)}</span>
      </p>
    );
  }
  return (
    <div
      className="grid gap-2 rounded-md border border-amber-500/30 bg-amber-500/8 px-3 py-2"
      data-testid="approval-request"
    >
      <p className="flex items-center gap-1.5 text-sm font-medium">
        <Hand className="size-3.5 text-amber-600 dark:text-amber-400" aria-hidden /> Approval needed
      </p>
      <p className="text-xs text-muted-foreground">
        The command matches the agent's risky pattern <Mono>{request.pattern}</Mono>.
      </p>
      {!active ? (
        <p className="text-xs text-muted-foreground">The run ended before anyone decided.</p>
      ) : canApprove ? (
        <ApprovalButtons runId={runId} toolUseId={request.toolUseId} />
      ) : (
        <p className="text-xs text-muted-foreground">Waiting for a developer or an admin to decide.</p>
      )}
    </div>
  );
}

/** What an editor call changes: str_replace as a small diff, inserted or created text as output. */
function EditInput({ input }: { input: Record<string, unknown> }) {
  if (input.command === "str_replace" && typeof input.old_str === "string") {
    const lines = [
      ...input.old_str.split("\n").map((line) => ({ sign: "-", line })),
      ...String(input.new_str ?? "")
        .split("\n")
        .map((line) => ({ sign: "+", line })),
    ];
    return (
      <pre className="overflow-x-auto rounded-md border font-mono text-xs leading-relaxed">
        {lines.map(({ sign, line }, i) => (
          <div
            key={`${i}${sign}`}
            className={
              sign === "-"
                ? "bg-red-500/10 px-3 text-red-800 dark:text-red-300"
                : "bg-emerald-500/10 px-3 text-emerald-800 dark:text-emerald-300"
            }
          >
            {sign} {line}
          </div>
        ))}
      </pre>
    );
  }
  const text = typeof input.file_text === "string" ? input.file_text : input.new_str;
  return typeof text === "string" ? <Output text={text} /> : null;
}
