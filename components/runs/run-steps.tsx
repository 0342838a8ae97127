import {
  Bot,
  CircleCheck,
  CircleX,
  FileCode,
  FlagTriangleRight,
  GitCommitHorizontal,
  Hand,
  MessageSquare,
  Minimize2,
  Play,
  RefreshCw,
  ShieldCheck,
  ShieldX,
  Square,
  Terminal,
  TestTube,
  Wrench,
} from "lucide-react";
import type { RunEventPayloads, RunEventType } from "@/lib/events/types";
import { formatUsd } from "@/lib/format";
import { ApprovalButtons } from "./approval-buttons";
import { formatCount } from "./format";
import { duration, Entry, ExitCode, Meta, Mono, Output } from "./step-parts";

export interface StepEvent {
  seq: number;
  type: string;
  payload: unknown;
  createdAt: Date;
}

type Payload<K extends RunEventType> = RunEventPayloads[K];
const as = <K extends RunEventType>(event: StepEvent, _type: K) => event.payload as Payload<K>;

interface Context {
  runId: string;
  active: boolean;
  canApprove: boolean;
  results: Map<string, StepEvent>;
  calls: Set<string>;
  decided: Set<string>;
}

/** The run's steps, one entry per stored event; a tool call shows its result beside it. */
export function RunSteps({
  runId,
  events,
  active,
  canApprove,
}: {
  runId: string;
  events: StepEvent[];
  active: boolean;
  canApprove: boolean;
}) {
  const results = new Map<string, StepEvent>();
  const decided = new Set<string>();
  const calls = new Set<string>();
  for (const event of events) {
    if (event.type === "tool_call") calls.add(as(event, "tool_call").toolUseId);
    if (event.type === "tool_result") results.set(as(event, "tool_result").toolUseId, event);
    if (event.type === "approval_decided") decided.add(as(event, "approval_decided").toolUseId);
  }
  const context: Context = { runId, active, canApprove, results, calls, decided };
  return (
    <ol className="divide-y" aria-label="Steps">
      {events.map((event) => (
        <StepEntry key={event.seq} event={event} context={context} />
      ))}
    </ol>
  );
}

function StepEntry({ event, context }: { event: StepEvent; context: Context }) {
  switch (event.type as RunEventType) {
    case "run_started": {
      const p = as(event, "run_started");
      return (
        <Entry seq={event.seq} icon={Play} tone="muted" title={p.resumed ? "Run resumed" : "Run started"}>
          <p className="text-xs text-muted-foreground">
            On <Mono>{p.branch}</Mono> from <Mono>{p.baseBranch}</Mono>
            {p.attempt > 1 ? `, attempt ${p.attempt}` : null}
          </p>
        </Entry>
      );
    }
    case "user_message": {
      const p = as(event, "user_message");
      const title = {
        task: "Task",
        steer: `Message from ${p.by?.name ?? "a person"}`,
        review: `Review feedback${p.by ? ` from ${p.by.name}` : ""}`,
        rule_reminder: "Rule reminder",
        continue: "Continue",
      }[p.kind];
      return (
        <Entry seq={event.seq} icon={MessageSquare} title={title}>
          <p className="whitespace-pre-wrap break-words text-sm">{p.text}</p>
        </Entry>
      );
    }
    case "assistant_message":
      return <AssistantEntry event={event} />;
    case "tool_call":
      return <ToolCallEntry event={event} result={context.results.get(as(event, "tool_call").toolUseId)} />;
    case "tool_result": {
      // Shown with its call; a result whose call isn't stored still gets an entry.
      const p = as(event, "tool_result");
      if (context.calls.has(p.toolUseId)) return null;
      return (
        <Entry seq={event.seq} icon={Terminal} tone={p.isError ? "danger" : "default"} title="Tool result">
          <Output text={p.content} />
        </Entry>
      );
    }
    case "approval_requested": {
      const p = as(event, "approval_requested");
      const open = context.active && !context.decided.has(p.toolUseId);
      return (
        <Entry seq={event.seq} icon={Hand} tone="warning" title="Approval needed">
          <Mono>{p.command}</Mono>
          <p className="text-xs text-muted-foreground">
            Matches the agent's risky pattern <Mono>{p.pattern}</Mono>
          </p>
          {open && context.canApprove ? (
            <ApprovalButtons runId={context.runId} toolUseId={p.toolUseId} />
          ) : null}
          {open && !context.canApprove ? (
            <p className="text-xs text-muted-foreground">Waiting for a developer or an admin to decide.</p>
          ) : null}
        </Entry>
      );
    }
    case "approval_decided": {
      const p = as(event, "approval_decided");
      return (
        <Entry
          seq={event.seq}
          icon={p.approved ? ShieldCheck : ShieldX}
          tone={p.approved ? "success" : "danger"}
          title={`${p.approved ? "Approved" : "Denied"} by ${p.by.name}`}
          meta={`waited ${duration(p.waitedMs)}`}
        />
      );
    }
    case "checkpoint": {
      const p = as(event, "checkpoint");
      return (
        <Entry
          seq={event.seq}
          icon={GitCommitHorizontal}
          tone="muted"
          title={
            <>
              Checkpoint <Mono>{p.sha.slice(0, 7)}</Mono>
            </>
          }
          meta={`${p.files.length} ${p.files.length === 1 ? "file" : "files"}`}
        >
          <p className="break-all font-mono text-xs text-muted-foreground">{p.files.join("  ")}</p>
        </Entry>
      );
    }
    case "retry": {
      const p = as(event, "retry");
      return (
        <Entry
          seq={event.seq}
          icon={RefreshCw}
          tone="warning"
          title={`Retrying the model call (attempt ${p.attempt})`}
          meta={`after ${duration(p.delayMs)}`}
        >
          <p className="text-xs text-muted-foreground">{p.reason}</p>
        </Entry>
      );
    }
    case "compaction": {
      const p = as(event, "compaction");
      return (
        <Entry
          seq={event.seq}
          icon={Minimize2}
          tone="muted"
          title="Context compacted"
          meta={`${formatCount(p.beforeTokens)} → ${formatCount(p.afterTokens)} tokens · ${p.clearedSteps} steps summarized`}
        >
          <details>
            <summary className="cursor-pointer text-xs text-muted-foreground hover:text-foreground">
              Summary
            </summary>
            <p className="mt-1.5 whitespace-pre-wrap text-sm">{p.summary}</p>
          </details>
        </Entry>
      );
    }
    case "cancel_requested": {
      const p = as(event, "cancel_requested");
      return (
        <Entry
          seq={event.seq}
          icon={Square}
          tone="muted"
          title={`Cancel requested${p.by ? ` by ${p.by.name}` : ""}`}
        />
      );
    }
    case "setup":
    case "verification": {
      const p = as(event, event.type as "setup");
      const passed = p.exitCode === 0 && !p.timedOut;
      return (
        <Entry
          seq={event.seq}
          icon={event.type === "setup" ? Wrench : TestTube}
          tone={passed ? "success" : "danger"}
          title={event.type === "setup" ? "Setup" : passed ? "Verification passed" : "Verification failed"}
          meta={
            <Meta
              parts={[<ExitCode key="x" code={p.exitCode} timedOut={p.timedOut} />, duration(p.durationMs)]}
            />
          }
        >
          <Mono>{p.command}</Mono>
          <Output text={p.output} />
        </Entry>
      );
    }
    case "run_finished": {
      const p = as(event, "run_finished");
      const ok = p.status === "succeeded";
      return (
        <Entry
          seq={event.seq}
          icon={ok ? CircleCheck : p.status === "cancelled" ? FlagTriangleRight : CircleX}
          tone={ok ? "success" : p.status === "cancelled" ? "muted" : "danger"}
          title={ok ? "Finished" : p.status === "cancelled" ? "Cancelled" : "Failed"}
          meta={p.stopReason}
        >
          {p.summary ? <p className="whitespace-pre-wrap break-words text-sm">{p.summary}</p> : null}
          {p.error ? <p className="whitespace-pre-wrap break-words text-sm text-danger">{p.error}</p> : null}
        </Entry>
      );
    }
    default:
      return (
        <Entry seq={event.seq} icon={Bot} tone="muted" title={event.type}>
          <Output text={JSON.stringify(event.payload, null, 2)} />
        </Entry>
      );
  }
}

interface Block {
  type: string;
  text?: string;
  thinking?: string;
}

function AssistantEntry({ event }: { event: StepEvent }) {
  const p = as(event, "assistant_message");
  const blocks = (p.content as Block[]).filter((b) => b.type !== "tool_use");
  const tokens = p.usage.inputTokens + p.usage.cacheReadTokens + p.usage.cacheWriteTokens;
  return (
    <Entry
      seq={event.seq}
      icon={Bot}
      title={`Step ${p.step}`}
      meta={
        <Meta
          parts={[
            `${formatCount(tokens)} in / ${formatCount(p.usage.outputTokens)} out`,
            p.unpriced ? "unpriced" : formatUsd(p.costUsd),
            duration(p.modelMs),
          ]}
        />
      }
    >
      {blocks.map((block, i) =>
        block.type === "thinking" || block.type === "redacted_thinking" ? (
          <details key={i}>
            <summary className="cursor-pointer text-xs text-muted-foreground hover:text-foreground">
              Thinking
            </summary>
            <p className="mt-1.5 whitespace-pre-wrap break-words text-sm text-muted-foreground">
              {block.thinking ?? "(redacted)"}
            </p>
          </details>
        ) : block.type === "text" ? (
          <p key={i} className="whitespace-pre-wrap break-words text-sm">
            {block.text}
          </p>
        ) : null,
      )}
      {p.stopReason === "max_tokens" ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          The reply was cut off at the output limit.
        </p>
      ) : null}
    </Entry>
  );
}

function ToolCallEntry({ event, result }: { event: StepEvent; result?: StepEvent }) {
  const call = as(event, "tool_call");
  const input = (call.input ?? {}) as Record<string, unknown>;
  const r = result ? as(result, "tool_result") : null;
  const isBash = call.name === "bash";
  const title = isBash ? (
    <span className="inline-flex items-center gap-1.5">Ran a command{call.resumed ? " (resumed)" : ""}</span>
  ) : (
    <span>
      Editor <Mono>{String(input.command ?? "")}</Mono> <Mono>{String(input.path ?? "")}</Mono>
    </span>
  );
  return (
    <Entry
      seq={event.seq}
      icon={isBash ? Terminal : FileCode}
      tone={r?.isError ? "danger" : "default"}
      title={title}
      meta={
        r ? (
          <Meta
            parts={[
              isBash ? <ExitCode key="x" code={r.exitCode} /> : r.isError ? "error" : null,
              duration(r.durationMs),
            ]}
          />
        ) : (
          "running…"
        )
      }
    >
      {isBash ? (
        <pre className="whitespace-pre-wrap break-all rounded-md bg-muted px-3 py-1.5 font-mono text-xs">
          <span className="select-none text-muted-foreground">$ </span>
          {input.restart ? "(restart the shell)" : String(input.command ?? "")}
        </pre>
      ) : (
        <EditInput input={input} />
      )}
      {r ? (
        <div id={`step-${result?.seq}`}>
          <Output text={r.content} label={isBash ? "Output" : "Result"} />
          {r.resumed ? (
            <p className="mt-1 text-xs text-muted-foreground">Run again after its worker stopped.</p>
          ) : null}
        </div>
      ) : null}
    </Entry>
  );
}

/** What an editor call changes: str_replace as a small diff, inserted or created text folded. */
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
  return typeof text === "string" ? <Output text={text} label="Text" /> : null;
}
