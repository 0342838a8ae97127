// Why a run exists, in words: its kind (the `runs.kind` column) and what set it off, named from the
// person who started it. Shared by the task page and the review sidebar.

export const RUN_KIND_LABELS: Record<string, string> = {
  initial: "First run",
  follow_up: "Follow-up after review",
  rerun: "Run again",
  resolve_conflict: "Conflict resolution",
  judge: "Judge",
};

export function runKindLabel(kind: string): string {
  return RUN_KIND_LABELS[kind] ?? kind;
}

/** What started the run: "Assigned by Ada", "Changes requested by Ada", "Started by Ada" (a run again) … (`who` null: a former member). */
export function runTrigger(kind: string, who: string | null): string {
  const person = who ?? "a former member";
  switch (kind) {
    case "follow_up":
      return `Changes requested by ${person}`;
    case "rerun":
      return `Started by ${person}`;
    case "resolve_conflict":
      return `Merge conflict, sent back by ${person}`;
    case "judge":
      return `Asked to judge the attempts by ${person}`;
    default:
      return `Assigned by ${person}`;
  }
}
