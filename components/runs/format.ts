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

/** How long something has waited, in whole units that don't flicker: 8 s, 12 min, 3 h 05 min, 2 d 4 h. */
export function formatWaiting(ms: number): string {
  const seconds = Math.max(1, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
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
