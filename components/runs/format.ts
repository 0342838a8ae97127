/** 340 ms, 2.3 s, 4 min 05 s, 1 h 02 min */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.floor(seconds % 60);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(s).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

const integer = new Intl.NumberFormat("en");
export const formatCount = (n: number) => integer.format(n);

/** A time budget in round units: 45 s, 30 min, 1 h 30 min. */
export function formatBudget(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${minutes / 60} h`;
}
