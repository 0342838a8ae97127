/** Every kind of run event and its payload: the timeline renders them, the loop rebuilds the conversation. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}

export interface Person {
  id: string;
  name: string;
}

export interface RunEventPayloads {
  run_started: { workerId: string; resumed: boolean; branch: string; baseBranch: string; attempt: number };
  user_message: {
    text: string;
    kind: "task" | "steer" | "review" | "rule_reminder" | "continue";
    by?: Person;
  };
  assistant_message: {
    step: number;
    model: string;
    content: unknown[];
    stopReason: string | null;
    usage: Usage;
    costUsd: number;
    unpriced: boolean;
    modelMs: number;
  };
  tool_call: { toolUseId: string; name: string; input: unknown; resumed?: boolean };
  tool_result: {
    toolUseId: string;
    content: string;
    isError: boolean;
    exitCode?: number | null;
    durationMs: number;
    changedFiles?: string[];
    /** The worker that started this call died before its result was stored; it was run again. */
    resumed?: boolean;
  };
  approval_requested: { toolUseId: string; command: string; pattern: string };
  approval_decided: { toolUseId: string; approved: boolean; by: Person; waitedMs: number };
  checkpoint: { step: number; sha: string; files: string[] };
  retry: { attempt: number; reason: string; delayMs: number; status?: number };
  /**
   * Steps stored at or before `clearedThroughSeq` are left out of the conversation and replaced by
   * `summary`; the task and the recent steps stay as they were.
   */
  compaction: {
    beforeTokens: number;
    afterTokens: number;
    clearedSteps: number;
    clearedThroughSeq: number;
    summary: string;
  };
  cancel_requested: { by: Person | null };
  /** The run moved to another status (running, waiting_approval, verifying); run_finished ends it. */
  status_changed: { status: string };
  /** How the run's commands are confined (stored once the run's sandbox is made). */
  sandbox: {
    mode: "bwrap" | "off";
    network: "none" | "allowlist" | "open";
    allowedHosts: string[];
    /** The repository was mounted read-only (a judge's run). */
    readOnly?: boolean;
  };
  setup: { command: string; exitCode: number | null; output: string; durationMs: number; timedOut: boolean };
  verification: {
    command: string;
    exitCode: number | null;
    output: string;
    durationMs: number;
    timedOut: boolean;
  };
  run_finished: {
    status: string;
    stopReason: string;
    error?: string;
    summary?: string;
    /** What the run brought (db/schema/run-statuses.ts RUN_OUTCOMES) and why a person is needed. */
    outcome?: string;
    outcomeReason?: string;
  };
}

export type RunEventType = keyof RunEventPayloads;

export type NewRunEvent = {
  [K in RunEventType]: { type: K; payload: RunEventPayloads[K] };
}[RunEventType];
