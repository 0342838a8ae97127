import { apiRoute, created, readJson } from "@/lib/api/route";
import { serializeRepo } from "@/lib/api/serialize";
import type { RepoInput } from "@/lib/repos/schema";
import { createRepo, listRepos } from "@/lib/repos/service";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => ({ repos: (await listRepos(actor)).map(serializeRepo) }));

/**
 * {name, source, defaultBranch?, setupCommand?, testCommand?, mergeStrategy?, network?, allowedHosts?};
 * the service validates (and lets only admins give network access).
 */
export const POST = apiRoute(async ({ actor, request }) => {
  const repo = await createRepo(actor, (await readJson(request)) as RepoInput);
  return created({ repo: serializeRepo(repo) });
});
