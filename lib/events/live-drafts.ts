// The reply each run's model is writing right now, as this process has heard it from the delta notices.
// Deltas are never stored, so without this a person who opens (or reloads) a run page mid-reply would
// see nothing of it until the step is stored; the run's event stream sends this draft first instead.
import type { RunNotice } from "./bus";
import { appendDelta, type Draft } from "./draft";

/** Bounds for a process that watches many runs: the oldest drafts go first, a draft stops growing. */
const MAX_RUNS = 500;
const MAX_CHARS = 200_000;

const store = globalThis as unknown as { __foremanDrafts?: Map<string, Draft> };
store.__foremanDrafts ??= new Map();
const drafts = store.__foremanDrafts;

const size = (draft: Draft) => draft.blocks.reduce((n, b) => n + b.text.length, 0);

/** Follows one notice: a delta extends the run's draft; its stored reply (or its end) clears it. */
export function rememberDraft(notice: RunNotice): void {
  if (notice.delta) {
    const current = drafts.get(notice.runId) ?? null;
    if (current && current.step === notice.delta.step && size(current) >= MAX_CHARS) return;
    const next = appendDelta(current, notice.delta);
    if (!next) return;
    drafts.delete(notice.runId);
    drafts.set(notice.runId, next);
    if (drafts.size > MAX_RUNS) drafts.delete(drafts.keys().next().value as string);
  } else if (notice.types?.some((type) => type === "assistant_message" || type === "run_finished")) {
    drafts.delete(notice.runId);
  }
}

export function liveDraft(runId: string): Draft | null {
  return drafts.get(runId) ?? null;
}
