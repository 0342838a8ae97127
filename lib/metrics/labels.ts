import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { agents, repositories, users } from "@/db/schema";
import type { GroupBy } from "./range";

/** Display names of group keys (agent, repository and person ids; a model is its own name). */
export async function groupLabels(
  teamId: string,
  groupBy: GroupBy,
  keys: (string | null)[],
): Promise<Map<string | null, string>> {
  const ids = [...new Set(keys.filter((key): key is string => key !== null))];
  const labels = new Map<string | null, string>([[null, groupBy === "person" ? "Unknown person" : "—"]]);
  if (ids.length === 0) return labels;
  const db = await getDb();
  if (groupBy === "model") {
    for (const id of ids) labels.set(id, id);
  } else if (groupBy === "agent") {
    const rows = await db
      .select({ id: agents.id, name: agents.name })
      .from(agents)
      .where(and(eq(agents.teamId, teamId), inArray(agents.id, ids)));
    for (const row of rows) labels.set(row.id, row.name);
  } else if (groupBy === "repo") {
    const rows = await db
      .select({ id: repositories.id, name: repositories.name })
      .from(repositories)
      .where(and(eq(repositories.teamId, teamId), inArray(repositories.id, ids)));
    for (const row of rows) labels.set(row.id, row.name);
  } else {
    // The ids come from this team's tasks; people who left the team keep their name on past work.
    const rows = await db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, ids));
    for (const row of rows) labels.set(row.id, row.name);
  }
  for (const id of ids) if (!labels.has(id)) labels.set(id, id.slice(0, 8));
  return labels;
}
