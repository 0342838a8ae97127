"use client";

import {
  Bot,
  CircleCheck,
  CircleX,
  FlagTriangleRight,
  Hand,
  MessageSquare,
  Minimize2,
  Play,
  RefreshCw,
  ShieldAlert,
  ShieldCheck,
  Square,
  Terminal,
  TestTube,
  TriangleAlert,
  Wrench,
} from "lucide-react";
import { Markdown } from "@/components/ui/markdown";
import { payloadOf } from "@/lib/events/run-event";
import type { RunEventType } from "@/lib/events/types";
import type { EventItem } from "@/lib/runs/timeline";
import { formatCount } from "./format";
import { duration, Entry, ExitCode, Meta, Mono, Output } from "./step-parts";

const USER_MESSAGE_TITLES = {
  task: () => "Task",
  steer: (name?: string) => `Message from ${name ?? "a person"}`,
  review: (name?: string) => `Review feedback${name ? ` from ${name}` : ""}`,
  rule_reminder: () => "Rule reminder",
  continue: () => "Continue",
};

/** An entry for an event outside a model step: the task, a message, a retry, the verification, the end. */
/** Titles of runs that ended without changes ready for review. */
const FINISHED_ATTENTION: Record<string, string> = {
  verification_failed: "Finished: changes, but the tests failed",
  no_changes: "Finished without changes",
  blocked: "Finished: blocked",
  needs_input: "Finished: the agent asks a question",
};

export function EventEntry({ item }: { item: EventItem }) {
  const { event, anchor } = item;
  switch (event.type as RunEventType) {
    case "run_started": {
      const p = payloadOf(event, "run_started");
      return (
        <Entry anchor={anchor} icon={Play} tone="muted" title={p.resumed ? "Run resumed" : "Run started"}>
          <p className="text-xs text-muted-foreground">
            On <Mono>{p.branch}</Mono> from <Mono>{p.baseBranch}</Mono>
            {p.attempt > 1 ? `, attempt ${p.attempt}` : null}
          </p>
        </Entry>
      );
    }
    case "sandbox": {
      const p = payloadOf(event, "sandbox");
      const off = p.mode === "off";
      return (
        <Entry
          anchor={anchor}
          icon={off ? ShieldAlert : ShieldCheck}
          tone={off ? "danger" : "muted"}
          title={off ? "Unsandboxed" : "Sandboxed"}
        >
          <p className="text-xs text-muted-foreground">
            {off
              ? "The sandbox is turned off (FOREMAN_SANDBOX=off): commands run with the server's rights."
              : `Commands run in the OS sandbox at /workspace; network: ${
                  p.network === "none"
                    ? "none"
                    : p.network === "open"
                      ? "open (public hosts, through Foreman's proxy)"
                      : `only ${p.allowedHosts.join(", ")}`
                }.`}
          </p>
        </Entry>
      );
    }
    case "user_message": {
      const p = payloadOf(event, "user_message");
      return (
        <Entry anchor={anchor} icon={MessageSquare} title={USER_MESSAGE_TITLES[p.kind](p.by?.name)}>
          <div className="min-w-0 break-words">
            <Markdown source={p.text} />
          </div>
        </Entry>
      );
    }
    case "tool_call":
    case "tool_result": {
      // Only when its step or its call isn't stored (an old or partial log).
      const p = event.payload as { content?: string; input?: unknown; isError?: boolean };
      return (
        <Entry
          anchor={anchor}
          icon={Terminal}
          tone={p.isError ? "danger" : "default"}
          title={event.type === "tool_call" ? "Tool call" : "Tool result"}
        >
          <Output text={p.content ?? JSON.stringify(p.input ?? {}, null, 2)} />
        </Entry>
      );
    }
    case "approval_requested":
    case "approval_decided":
      return (
        <Entry anchor={anchor} icon={Hand} tone="warning" title="Approval">
          <Output text={JSON.stringify(event.payload, null, 2)} />
        </Entry>
      );
    case "retry": {
      const p = payloadOf(event, "retry");
      return (
        <Entry
          anchor={anchor}
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
      const p = payloadOf(event, "compaction");
      return (
        <Entry
          anchor={anchor}
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
      const p = payloadOf(event, "cancel_requested");
      return (
        <Entry
          anchor={anchor}
          icon={Square}
          tone="muted"
          title={`Cancel requested${p.by ? ` by ${p.by.name}` : ""}`}
        />
      );
    }
    case "setup":
    case "verification": {
      const p = payloadOf(event, event.type as "setup");
      const passed = p.exitCode === 0 && !p.timedOut;
      return (
        <Entry
          anchor={anchor}
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
      const p = payloadOf(event, "run_finished");
      // A run that ended normally but brought nothing ready (no changes, blocked, a question, failing
      // tests) is not shown as a success.
      const attention = FINISHED_ATTENTION[p.outcome ?? ""];
      const ok = p.status === "succeeded" && !attention;
      const cancelled = p.status === "cancelled";
      return (
        <Entry
          anchor={anchor}
          icon={attention ? TriangleAlert : ok ? CircleCheck : cancelled ? FlagTriangleRight : CircleX}
          tone={attention ? "warning" : ok ? "success" : cancelled ? "muted" : "danger"}
          title={attention ?? (ok ? "Finished: changes ready" : cancelled ? "Cancelled" : "Failed")}
          meta={p.stopReason}
        >
          {attention && p.outcomeReason ? (
            <p className="whitespace-pre-wrap break-words text-sm" data-testid="finished-reason">
              {p.outcomeReason}
            </p>
          ) : null}
          {p.summary ? (
            <div className="min-w-0 break-words">
              <Markdown source={p.summary} />
            </div>
          ) : null}
          {p.error ? <p className="whitespace-pre-wrap break-words text-sm text-danger">{p.error}</p> : null}
        </Entry>
      );
    }
    default:
      return (
        <Entry anchor={anchor} icon={Bot} tone="muted" title={event.type}>
          <Output text={JSON.stringify(event.payload, null, 2)} />
        </Entry>
      );
  }
}
