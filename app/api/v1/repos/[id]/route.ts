import { apiRoute, readJson } from "@/lib/api/route";
import { serializeRepo } from "@/lib/api/serialize";
import type { RepoPatch } from "@/lib/repos/schema";
import { getRepo, updateRepo } from "@/lib/repos/service";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => ({
  repo: serializeRepo(await getRepo(actor, params.id)),
}));

/** Any fields of POST /api/v1/repos; the ones left out keep their values. The service validates. */
export const PATCH = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const repo = await updateRepo(actor, params.id, (await readJson(request)) as RepoPatch);
  return { repo: serializeRepo(repo) };
});
