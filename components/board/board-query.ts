import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query/fetch-json";
import { type BoardFilters, type BoardTask, filtersToSearch } from "@/lib/tasks/board-columns";

export const boardKeys = {
  all: ["board"] as const,
  list: (filters: BoardFilters) => ["board", filters] as const,
};

/** The board for one set of filters; the page prefetches it, team changes invalidate it. */
export function boardQueryOptions(filters: BoardFilters) {
  return queryOptions({
    queryKey: boardKeys.list(filters),
    queryFn: async () =>
      (await fetchJson<{ tasks: BoardTask[] }>(`/api/team/board${filtersToSearch(filters)}`)).tasks,
  });
}
