"use client";

import { Bot, GitCommitHorizontal } from "lucide-react";
import { Markdown } from "@/components/ui/markdown";
import { payloadOf } from "@/lib/events/run-event";
import { formatUsd } from "@/lib/format";
import type { StepItem } from "@/lib/runs/timeline";
import { formatCount } from "./format";
import { duration, Entry, Meta, Mono } from "./step-parts";
import { ToolCall } from "./tool-call";

interface Block {
  type: string;
  text?: string;
  thinking?: string;
}

/** One model step: what the model wrote, each tool it called with the result, and the checkpoint. */
export function StepEntry({ item }: { item: StepItem }) {
  const p = payloadOf(item.message, "assistant_message");
  const blocks = (p.content as Block[]).filter((b) => b.type !== "tool_use");
  const tokens = p.usage.inputTokens + p.usage.cacheReadTokens + p.usage.cacheWriteTokens;
  return (
    <Entry
      anchor={item.anchor}
      step={item.step}
      icon={Bot}
      title={`Step ${item.step}`}
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
          <Thinking key={i} text={block.thinking ?? "(redacted)"} />
        ) : block.type === "text" && block.text?.trim() ? (
          <div key={i} className="min-w-0 break-words" data-testid="assistant-text">
            <Markdown source={block.text} />
          </div>
        ) : null,
      )}
      {p.stopReason === "max_tokens" ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          The reply was cut off at the output limit.
        </p>
      ) : null}
      {item.tools.map((tool) => (
        <ToolCall key={tool.call.seq} tool={tool} />
      ))}
      {item.checkpoint ? <Checkpoint event={item.checkpoint} /> : null}
    </Entry>
  );
}

export function Thinking({ text, live = false }: { text: string; live?: boolean }) {
  const words = text.trim() ? text.trim().split(/\s+/).length : 0;
  // Newer models may think without showing it (their thinking display is "omitted"): nothing to unfold.
  if (!live && words === 0) {
    return (
      <p className="text-xs text-muted-foreground" data-testid="thinking">
        Thought before answering (the model kept its thinking hidden)
      </p>
    );
  }
  return (
    <details className="group/thinking rounded-md border border-dashed px-3 py-1.5" data-testid="thinking">
      <summary className="cursor-pointer select-none text-xs text-muted-foreground hover:text-foreground">
        {live ? "Thinking…" : "Thinking"}{" "}
        <span className="tabular">
          ({formatCount(words)} {words === 1 ? "word" : "words"})
        </span>
      </summary>
      <p className="mt-1.5 whitespace-pre-wrap break-words text-sm text-muted-foreground">{text}</p>
    </details>
  );
}

function Checkpoint({ event }: { event: StepItem["message"] }) {
  const p = payloadOf(event, "checkpoint");
  return (
    <div className="flex min-w-0 items-baseline gap-2 text-xs text-muted-foreground">
      <GitCommitHorizontal className="size-3.5 shrink-0 self-center" aria-hidden />
      <span className="shrink-0">
        Checkpoint <Mono>{p.sha.slice(0, 7)}</Mono>
      </span>
      <span className="truncate font-mono" title={p.files.join("\n")}>
        {p.files.join("  ")}
      </span>
    </div>
  );
}
