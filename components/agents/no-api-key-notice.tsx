import { KeyRound } from "lucide-react";
import { hasRealModel } from "@/lib/engine/model-client";

/** Says plainly that no real model can be called: only the Demo (offline) agent can be given work. */
export function NoApiKeyNotice() {
  if (hasRealModel()) return null;
  return (
    <div
      role="status"
      data-testid="no-api-key"
      className="mb-4 flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
    >
      <KeyRound className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        No API key is configured (<code className="font-mono">ANTHROPIC_API_KEY</code>), so agents on real
        models can't be assigned work. Set it and restart Foreman; until then only the Demo (offline) agent
        runs.
      </p>
    </div>
  );
}
