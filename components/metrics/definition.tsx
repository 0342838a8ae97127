import { Info } from "lucide-react";
import { Tooltip } from "@/components/ui/tooltip";
import { DEFINITIONS, type MetricName } from "@/lib/metrics/definitions";

/**
 * A label with its definition (the same words as docs/metrics.md) in a tooltip that opens on hover and on
 * keyboard focus: the label is a button, reachable with Tab.
 */
export function Defined({ name, children }: { name: MetricName; children: React.ReactNode }) {
  return (
    <Tooltip content={DEFINITIONS[name]}>
      <button
        type="button"
        data-definition={name}
        className="inline-flex cursor-help items-center gap-1 rounded-sm text-left text-inherit underline decoration-dotted decoration-muted-foreground/50 underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
      >
        {children}
        <Info aria-hidden className="size-3 shrink-0 opacity-60" />
      </button>
    </Tooltip>
  );
}
