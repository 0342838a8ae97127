import { formatExact, formatRelative } from "@/lib/format";

/** Relative time with the exact time on hover. */
export function TimeAgo({ date }: { date: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatExact(date)} className="tabular">
      {formatRelative(date)}
    </time>
  );
}
