// The agent loop: model call → store the reply → run each tool call → store each result → checkpoint.
// Every decision is made from stored events, so a run resumed by another worker continues exactly here.
import type Anthropic from "@anthropic-ai/sdk";
import type { RunEvent } from "@/lib/events/run-event";
import type { Usage } from "@/lib/events/types";
import { pushBranch } from "@/lib/git/clone";
import { checkpointCommit, type RunRepo } from "@/lib/git/run-repo";
import { spendCapStop } from "@/lib/metrics/spend-cap";
import { effectiveLimits } from "@/lib/sandbox/limits";
import type { Sandbox } from "@/lib/sandbox/sandbox";
import {
  Conversation,
  type ConversationState,
  compactionPlan,
  estimateTokens,
  rebuildConversation,
} from "./conversation";
import { callModel } from "./model-call";
import { costOfUsage } from "./pricing";
import { buildRequest } from "./prompt";
import { judgedAttempts, type RunContext } from "./run-context";
import type { RunStore } from "./run-store";
import { executeTool } from "./tool-runner";
import { BASH_TOOL_NAME, RANK_ATTEMPTS_TOOL_NAME } from "./tools/definitions";
import { type FinishReport, finishReportOf } from "./tools/finish-task";
import { type Ranking, rankingOf } from "./tools/rank-attempts";

export interface LoopDeps {
  ctx: RunContext;
  store: RunStore;
  client: Anthropic;
  runRepo: RunRepo;
  sandbox: Sandbox;
  signal: AbortSignal;
  publishDelta: (delta: {
    blockIndex: number;
    kind: "text" | "thinking";
    text: string;
    step: number;
  }) => void;
  /** The reply is stored: deltas not yet sent are superseded by it (and must not arrive after it). */
  dropPendingDeltas: () => void;
  requestApproval: (
    toolUseId: string,
    command: string,
    pattern: string,
  ) => Promise<{ approved: boolean; by: string }>;
}

export type LoopOutcome =
  | { status: "succeeded"; stopReason: string; summary: string; report?: FinishReport; ranking?: Ranking }
  | { status: "failed"; stopReason: string; error: string };

const MAX_TOKENS_BOUND = 3;
const RULE_REMINDER_BOUND = 2;
const KEEP_RECENT_STEPS = Number(process.env.FOREMAN_COMPACTION_KEEP_STEPS ?? 6);
const COMPACT_AT = 0.7;

function usageOf(message: Anthropic.Message): Usage {
  return {
    inputTokens: message.usage.input_tokens,
    outputTokens: message.usage.output_tokens,
    cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
    cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
  };
}

function lastText(message: Anthropic.MessageParam | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return (message.content as { type: string; text?: string }[])
    .filter((block) => block.type === "text")
    .map((block) => block.text ?? "")
    .join("\n")
    .trim();
}

const JUDGE_REMINDER = `You have not ranked the attempts yet. Call the ${RANK_ATTEMPTS_TOOL_NAME} tool with every attempt ranked, best first, each with its reasons.`;

/** Which of the agent's rules it can check, and whether the run broke one. */
function unmetRule(ctx: RunContext, state: ConversationState): string | null {
  // A judge's one rule: it answers with a ranking (checked before this, from the stored events).
  if (ctx.judging) return JUDGE_REMINDER;
  const testCommand = ctx.repo.testCommand?.trim();
  if (!testCommand) return null;
  const rule = ctx.agent.rules.find((line) => /\b(run|ran)\b.*\btests?\b|test command/i.test(line));
  if (!rule || state.lastEditSeq === 0 || state.lastTestRunSeq > state.lastEditSeq) return null;
  return `Before you finish: the rule "${rule}" is not met — you changed files and have not run \`${testCommand}\` since. Run it, fix what fails, then finish.`;
}

function budgetExceeded(ctx: RunContext, state: ConversationState, costSoFar: number): string | null {
  const { run } = ctx;
  if (state.steps >= run.maxSteps) return `Stopped at the step budget (${run.maxSteps} steps).`;
  if (costSoFar >= run.maxCostUsd) return `Stopped at the cost budget ($${run.maxCostUsd.toFixed(2)}).`;
  const started = run.startedAt?.getTime() ?? Date.now();
  if (Date.now() - started > run.maxDurationSec * 1000) {
    return `Stopped at the time budget (${Math.round(run.maxDurationSec / 60)} min).`;
  }
  return null;
}

function lastCallBeforeCompaction(events: RunEvent[]): boolean {
  for (let i = events.length - 1; i >= 0; i--) {
    const type = events[i]?.type;
    if (type === "compaction") return true;
    if (type === "assistant_message") return false;
  }
  return false;
}

export async function runLoop(deps: LoopDeps): Promise<LoopOutcome> {
  const { ctx, store } = deps;
  let costSoFar = ctx.run.costUsd;
  const contextWindow = ctx.price?.contextWindow ?? 200_000;
  const judged = judgedAttempts(ctx);

  // Events are append-only: read each one once, then only what came after, and fold only those into the
  // conversation (rebuilt from every event only here, when the run starts or resumes, and at a compaction).
  const conversation = new Conversation({ testCommand: ctx.repo.testCommand });
  const events = conversation.events;
  const lastTree: { hash?: string } = {};
  // The system prompt and the tools depend only on the run: their size is measured once.
  let systemText: string | undefined;
  for (;;) {
    conversation.add(await store.eventsAfter(conversation.lastSeq));
    const state = conversation.state;

    // 1. Tool calls of the last reply that have no stored result (a resumed run re-executes them).
    if (state.pendingToolUses.length > 0) {
      let changed = false;
      let resumedAny = false;
      for (const use of state.pendingToolUses) {
        // A call stored by an earlier worker that has no result: it may have run partly; run it again.
        const resumed = state.startedToolUses.has(use.id) && !store.storedCallHere(use.id);
        resumedAny ||= resumed;
        if (!state.startedToolUses.has(use.id))
          await store.append({
            type: "tool_call",
            payload: { toolUseId: use.id, name: use.name, input: use.input },
          });
        const result = await executeTool(
          {
            runRepo: deps.runRepo,
            sandbox: deps.sandbox,
            bashTimeoutMs: ctx.agent.bashTimeoutSec * 1000,
            maxOutputBytes: effectiveLimits(ctx.agent.sandboxLimits).outputKb * 1024,
            riskyPatterns: ctx.agent.riskyPatterns,
            lastTree,
            signal: deps.signal,
            requestApproval: deps.requestApproval,
            ...(judged ? { judgeOf: judged } : {}),
          },
          use,
        );
        if (deps.signal.aborted) throw deps.signal.reason;
        await store.recordToolResult({ toolUseId: use.id, ...result, ...(resumed ? { resumed: true } : {}) });
        changed ||= Boolean(result.changedFiles?.length);
      }
      // A resumed step may have changed files before the crash; otherwise only steps that wrote need a commit.
      const commit =
        (changed || resumedAny) &&
        (await checkpointCommit(deps.runRepo, {
          message: `Step ${state.steps}: ${ctx.task.title}`,
          authorName: ctx.agent.name,
          authorEmail: "agent@foreman.local",
          tree: lastTree.hash,
        }));
      if (commit) {
        await pushBranch(ctx.repo, ctx.run.branch);
        await store.append({ type: "checkpoint", payload: { step: state.steps, ...commit } });
      }
      continue;
    }

    // 2. The agent reported how its work ended (finish_task): the run ends here, whatever else it asked.
    const report = finishReportOf(events);
    if (report) return { status: "succeeded", stopReason: "finish_task", summary: report.summary, report };
    // A judge's answer (rank_attempts) ends its run the same way.
    const ranking = judged && rankingOf(events, judged);
    if (ranking) return { status: "succeeded", stopReason: "ranked", summary: ranking.summary, ranking };

    // 3. The model has finished its turn: check the rules, then accept.
    if (state.lastStopReason === "end_turn" || state.lastStopReason === "stop_sequence") {
      const reminder = state.ruleReminders < RULE_REMINDER_BOUND ? unmetRule(ctx, state) : null;
      if (reminder) {
        await store.append({ type: "user_message", payload: { text: reminder, kind: "rule_reminder" } });
        continue;
      }
      if (judged)
        return {
          status: "failed",
          stopReason: "no_ranking",
          error: "The judge ended without ranking the attempts.",
        };
      return { status: "succeeded", stopReason: "end_turn", summary: lastText(state.messages.at(-1)) };
    }
    if (state.lastStopReason === "refusal") {
      return {
        status: "failed",
        stopReason: "refusal",
        error: "The model declined to continue this task (refusal).",
      };
    }
    if (state.lastStopReason === "max_tokens") {
      if (state.consecutiveMaxTokens >= MAX_TOKENS_BOUND) {
        return {
          status: "failed",
          stopReason: "max_tokens",
          error: `The model hit its output limit ${MAX_TOKENS_BOUND} times in a row without finishing a reply.`,
        };
      }
      await store.append({
        type: "user_message",
        payload: {
          text: "Your last reply was cut off at the output limit. Continue where you stopped, in shorter steps.",
          kind: "continue",
        },
      });
      continue;
    }
    // pause_turn: the reply is sent back as is and the model continues it.

    // 4. Budgets, then (when the conversation nears the window) compaction, then the next model call.
    const overBudget = budgetExceeded(ctx, state, costSoFar);
    if (overBudget) return { status: "failed", stopReason: "budget", error: overBudget };
    // The team's monthly spend cap (lib/metrics/spend-cap.ts) stops every running run at its next step.
    const overCap = await spendCapStop(ctx.run.teamId, store.spendCapSet);
    if (overCap) return { status: "failed", stopReason: "spend_cap", error: overCap };

    const request = buildRequest(ctx, state.messages);
    systemText ??= JSON.stringify(request.system) + JSON.stringify(request.tools);
    // After a compaction the last call's usage no longer describes the conversation: estimate instead.
    const compactedSince = events.at(-1)?.type === "compaction" || lastCallBeforeCompaction(events);
    const estimate = compactedSince
      ? estimateTokens(state.messages, systemText)
      : Math.max(state.lastContextTokens, estimateTokens(state.messages, systemText));
    if (estimate > contextWindow * COMPACT_AT) {
      const plan = compactionPlan(events, KEEP_RECENT_STEPS);
      if (plan) {
        const compaction = { beforeTokens: estimate, afterTokens: 0, ...plan };
        const after = rebuildConversation(
          [
            ...events,
            { seq: Number.MAX_SAFE_INTEGER, type: "compaction", payload: compaction, createdAt: new Date() },
          ],
          { testCommand: ctx.repo.testCommand },
        );
        compaction.afterTokens = estimateTokens(after.messages, systemText);
        await store.append({ type: "compaction", payload: compaction });
        continue;
      }
    }

    const step = state.steps + 1;
    const { message, modelMs } = await callModel({
      client: deps.client,
      params: request,
      signal: deps.signal,
      onDelta: (delta) => deps.publishDelta({ ...delta, step }),
      // The sandbox for the command starts while the rest of the reply streams in.
      onToolUse: (name) => name === BASH_TOOL_NAME && deps.sandbox.prepare(),
      onRetry: async (notice) => {
        await store.append({ type: "retry", payload: notice });
      },
    });
    deps.dropPendingDeltas();
    const usage = usageOf(message);
    const cost = costOfUsage(message.usage, ctx.price);
    costSoFar += cost.costUsd;
    const toolCalls =
      message.stop_reason === "tool_use"
        ? message.content.flatMap((block) =>
            block.type === "tool_use" ? [{ toolUseId: block.id, name: block.name, input: block.input }] : [],
          )
        : [];
    await store.recordAssistant(
      {
        step,
        model: message.model,
        content: message.content as unknown[],
        stopReason: message.stop_reason,
        usage,
        costUsd: cost.costUsd,
        unpriced: cost.unpriced,
        modelMs,
      },
      toolCalls,
    );
  }
}
