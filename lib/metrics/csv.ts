import type { MetricRunRow } from "./runs-list";

const iso = (value: string | Date | null) => (value ? new Date(value).toISOString() : "");

/** One column per metric of a run; the header names say the unit. */
export const CSV_COLUMNS: [string, (row: MetricRunRow) => string | number | boolean | null][] = [
  ["run_id", (r) => r.id],
  ["task_number", (r) => r.task_number],
  ["task_title", (r) => r.task_title],
  ["task_status", (r) => r.task_status],
  ["agent", (r) => r.agent],
  ["model", (r) => r.model],
  ["repo", (r) => r.repo],
  ["assigned_by", (r) => r.assigned_by],
  ["kind", (r) => r.kind],
  ["status", (r) => r.status],
  ["outcome", (r) => r.outcome],
  ["stop_reason", (r) => r.stop_reason],
  ["queued_at", (r) => iso(r.queued_at)],
  ["started_at", (r) => iso(r.started_at)],
  ["finished_at", (r) => iso(r.finished_at)],
  ["wall_ms", (r) => (r.wall_ms === null ? null : Math.round(r.wall_ms))],
  ["queue_ms", (r) => (r.queue_ms === null ? null : Math.round(r.queue_ms))],
  ["model_ms", (r) => r.model_ms],
  ["tool_ms", (r) => r.tool_ms],
  ["human_wait_ms", (r) => r.human_wait_ms],
  ["steps", (r) => r.steps],
  ["input_tokens", (r) => r.input_tokens],
  ["output_tokens", (r) => r.output_tokens],
  ["cache_write_tokens", (r) => r.cache_write_tokens],
  ["cache_read_tokens", (r) => r.cache_read_tokens],
  ["cost_usd", (r) => Math.round(r.cost_usd * 1e6) / 1e6],
  ["unpriced", (r) => r.unpriced],
  ["verify_exit_code", (r) => r.verify_exit_code],
  [
    "review_turnaround_ms",
    (r) => (r.review_turnaround_ms === null ? null : Math.round(r.review_turnaround_ms)),
  ],
  ["human_review_ms", (r) => Math.round(r.human_review_ms)],
];

function cell(value: string | number | boolean | null): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // Quote when needed; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function runsToCsv(rows: MetricRunRow[]): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(",")];
  for (const row of rows) lines.push(CSV_COLUMNS.map(([, get]) => cell(get(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
