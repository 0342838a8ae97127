"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { fetchJson } from "@/lib/query/fetch-json";
import type { BoardTask } from "@/lib/tasks/board-columns";
import { boardKeys } from "./board-query";

/**
 * On the empty board ("No tasks yet"): when a teammate assigns the first task, the team-changes
 * stream invalidates the board keys, this refetches, and the page re-renders on the server into the
 * real board — no reload by hand. Starts from "empty" (what the server just rendered), so nothing is
 * fetched until something changes.
 */
export function RefreshWhenTasksArrive() {
  const router = useRouter();
  const { data: hasTasks } = useQuery({
    queryKey: [...boardKeys.all, "any"],
    queryFn: async () => (await fetchJson<{ tasks: BoardTask[] }>("/api/team/board")).tasks.length > 0,
    initialData: false,
    // Forgotten when the board fills: the next empty board starts from "empty" again.
    gcTime: 0,
  });
  useEffect(() => {
    if (hasTasks) router.refresh();
  }, [hasTasks, router]);
  return null;
}
