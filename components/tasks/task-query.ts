import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query/fetch-json";
import type { TaskWithRunsView } from "@/lib/runs/views";

export const taskKeys = {
  all: ["task"] as const,
  detail: (taskId: string) => ["task", taskId] as const,
};

/** A task with its runs: the task page prefetches it, team changes about the task refetch it. */
export function taskQueryOptions(taskId: string) {
  return queryOptions({
    queryKey: taskKeys.detail(taskId),
    queryFn: () => fetchJson<TaskWithRunsView>(`/api/team/tasks/${taskId}`),
  });
}
