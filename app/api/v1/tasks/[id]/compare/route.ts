import { apiRoute, searchParam } from "@/lib/api/route";
import { diffBetweenAttempts, getCompare } from "@/lib/compare/queries";

export const dynamic = "force-dynamic";

/**
 * A task's attempts side by side (one per agent's branch): facts, each attempt's diff, and the conflicts
 * predicted between them. ?a=&b= (runs of two attempts) adds `between`, the diff from a's head to b's.
 */
export const GET = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const data = await getCompare(actor, params.id);
  const a = searchParam(request, "a");
  const b = searchParam(request, "b");
  const between = a || b ? await diffBetweenAttempts(actor, params.id, { a: a ?? "", b: b ?? "" }) : null;
  return { ...data, between };
});
