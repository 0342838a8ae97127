// The board's shape, free of the database so the client and the tests share it: which column a task
// sits in, the cards (one per run branch) it shows, and the filters kept in the URL.
import type { RunOutcome, RunStatus } from "@/db/schema/run-statuses";
import type { TaskStatus } from "@/db/schema/tasks";

export const BOARD_COLUMNS = [
  "queued",
  "running",
  "needs_human",
  "in_review",
  "changes_requested",
  "merged",
  "failed",
] as const;
export type BoardColumnId = (typeof BOARD_COLUMNS)[number];

export const BOARD_COLUMN_LABELS: Record<BoardColumnId, string> = {
  queued: "Queued",
  running: "Running",
  needs_human: "Needs a human",
  in_review: "In review",
  changes_requested: "Changes requested",
  merged: "Merged",
  failed: "Failed / cancelled",
};

/** One run branch of a task: several agents on one task give several cards. */
export interface BoardCard {
  runId: string;
  agentId: string;
  agentName: string;
  status: RunStatus;
  /** What the branch's latest run brought, once it ended, and why a person is needed. */
  outcome: RunOutcome | null;
  outcomeReason: string | null;
  /** Why the run stopped ("dependency_discarded": it never started). */
  stopReason: string | null;
  branch: string;
  /** Every run on this branch (follow-ups included). */
  costUsd: number;
  unpriced: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  verify: "pass" | "fail" | "none";
  /** The run's commands ran without the OS sandbox (FOREMAN_SANDBOX=off). */
  unsandboxed: boolean;
}

/** Another open task whose branch changes the same files (lib/conflicts). */
export interface BoardOverlap {
  taskId: string;
  number: number;
  files: string[];
  conflict: boolean;
}

export interface BoardTask {
  id: string;
  number: number;
  title: string;
  status: TaskStatus;
  repoId: string;
  repoName: string;
  assignedBy: { id: string; name: string } | null;
  reviewer: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
  /** When it was merged or discarded (the Closed view's order); null while open. */
  closedAt?: string | null;
  cards: BoardCard[];
  /** The base moved since the branch left it, and merging now would conflict in these files. */
  baseConflict: { baseBranch: string; files: string[] } | null;
  /** Predicted overlaps with other open tasks, conflicts first. */
  overlaps: BoardOverlap[];
  /** Tasks that must merge before this one's runs start (lib/tasks/dependencies.ts); absent: none. */
  waitingOn?: { taskId: string; number: number }[];
  /** Its place in its base branch's merge queue (lib/merge-queue), while it waits or lands. */
  mergeQueue: { status: "waiting" | "landing"; position: number; baseBranch: string } | null;
}

export function columnOfStatus(status: TaskStatus): BoardColumnId {
  switch (status) {
    case "in_review":
    case "approved":
    case "conflict":
      return "in_review";
    case "cancelled":
    case "discarded":
    case "failed":
      return "failed";
    default:
      return status;
  }
}

const CLOSED: ReadonlySet<TaskStatus> = new Set(["approved", "conflict", "merged", "discarded"]);

/**
 * The status the board shows. A task with several runs at once follows the one that needs the most
 * attention while any is active (the task row follows whichever run changed last).
 */
export function boardStatus(task: Pick<BoardTask, "status" | "cards">): TaskStatus {
  if (task.cards.length <= 1 || CLOSED.has(task.status)) return task.status;
  const statuses = new Set(task.cards.map((card) => card.status));
  if (statuses.has("waiting_approval")) return "needs_human";
  if (statuses.has("running") || statuses.has("verifying")) return "running";
  if (statuses.has("queued")) return "queued";
  return task.status;
}

export interface BoardColumn {
  id: BoardColumnId;
  label: string;
  tasks: BoardTask[];
  /** Task cards in the column (a task with several agents is one card, whatever its runs). */
  count: number;
  limit: number | null;
  over: boolean;
}

export function groupBoard(
  tasks: BoardTask[],
  limits: Partial<Record<BoardColumnId, number>> = {},
): BoardColumn[] {
  const byColumn = new Map<BoardColumnId, BoardTask[]>(BOARD_COLUMNS.map((id) => [id, []]));
  for (const task of tasks) byColumn.get(columnOfStatus(boardStatus(task)))?.push(task);
  return BOARD_COLUMNS.map((id) => {
    const columnTasks = byColumn.get(id) ?? [];
    const count = columnTasks.length;
    const limit = limits[id] ?? null;
    return {
      id,
      label: BOARD_COLUMN_LABELS[id],
      tasks: columnTasks,
      count,
      limit,
      over: limit !== null && count > limit,
    };
  });
}

/**
 * The URL's filters. `state=closed` shows the Closed view (merged and discarded tasks, newest first) instead
 * of the columns, `limit` how many of them ("Show more"); the others narrow either view.
 */
export const FILTER_KEYS = ["repo", "agent", "assigner", "reviewer", "q", "state", "limit"] as const;
export type BoardFilters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;
/** The filters that narrow a view (what "Clear filters" clears). */
export const NARROWING_KEYS = ["repo", "agent", "assigner", "reviewer", "q"] as const;

/** Closed tasks per page of the Closed view, and the most one page may ask for. */
export const CLOSED_PAGE = 50;
export const CLOSED_MAX = 500;

/** The filters from the URL's search params (unknown keys, empty and malformed values dropped). */
export function parseBoardFilters(params: Record<string, string | string[] | undefined>): BoardFilters {
  const filters: BoardFilters = {};
  for (const key of FILTER_KEYS) {
    const raw = params[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) filters[key] = value.slice(0, 200);
  }
  if (filters.state !== "closed") delete filters.state;
  if (filters.limit && (!filters.state || !/^\d{1,4}$/.test(filters.limit))) delete filters.limit;
  return filters;
}

/** How many closed tasks the Closed view asks for. */
export function closedLimit(filters: BoardFilters): number {
  const asked = Number(filters.limit ?? CLOSED_PAGE);
  return Math.min(CLOSED_MAX, Math.max(1, Number.isFinite(asked) ? asked : CLOSED_PAGE));
}

export function filtersToSearch(filters: BoardFilters): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * The people the board's "Assigned by" and "Reviewer" filters offer: viewers can do neither, so they
 * are left out — unless the URL already filters by them (a shared link, or a developer since made a viewer).
 */
export function boardPeopleOptions(
  members: Array<{ userId: string; name: string; email: string; role: string }>,
  filters: BoardFilters,
) {
  const person = (m: (typeof members)[number]) => ({ id: m.userId, name: m.name || m.email });
  const offered = (selected: string | undefined) =>
    members.filter((m) => m.role !== "viewer" || m.userId === selected).map(person);
  return { assigner: offered(filters.assigner), reviewer: offered(filters.reviewer) };
}
