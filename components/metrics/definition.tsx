import { Info } from "lucide-react";
import { DEFINITIONS, type MetricName } from "@/lib/metrics/definitions";

/** A label with its definition on hover and focus (the same text as docs/metrics.md). */
export function Defined({ name, children }: { name: MetricName; children: React.ReactNode }) {
  return (
    <span className="inline-flex items-center gap-1" title={DEFINITIONS[name]}>
      {children}
      <Info aria-hidden className="size-3 opacity-60" />
      <span className="sr-only">{DEFINITIONS[name]}</span>
    </span>
  );
}
