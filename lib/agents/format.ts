import type { Agent } from "@/db/schema";
import { formatMoney } from "@/lib/models/format";

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** 1800 → "30 min", 5400 → "1 h 30 min", 7200 → "2 h". */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "50 steps · $5.00 · 30 min": the three limits that stop a run. */
export function formatBudgets(agent: Pick<Agent, "maxSteps" | "maxCostUsd" | "maxDurationSec">): string {
  return [
    plural(agent.maxSteps, "step"),
    formatMoney(agent.maxCostUsd),
    formatDuration(agent.maxDurationSec),
  ].join(" · ");
}
