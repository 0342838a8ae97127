import type { Tx } from "@/db";
import { auditEvents } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";

/** Writes one audit row inside the caller's transaction, so the change and its record land together. */
export async function recordAudit(
  tx: Tx,
  actor: Actor,
  action: string,
  object: { type: string; id?: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.insert(auditEvents).values({
    teamId: actor.teamId,
    actorId: actor.userId,
    source: actor.source,
    action,
    objectType: object.type,
    objectId: object.id ?? null,
    details,
  });
}
