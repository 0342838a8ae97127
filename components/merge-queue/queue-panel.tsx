import { requireActor } from "@/lib/auth/session";
import { repoMergeQueue } from "@/lib/merge-queue/queries";
import { QueueList } from "./queue-list";

/** The repository page's merge queue: read on the server, then kept current by the team's change feed. */
export async function MergeQueuePanel({ repoId }: { repoId: string }) {
  const actor = await requireActor();
  return <QueueList repoId={repoId} initial={await repoMergeQueue(actor, repoId)} />;
}
