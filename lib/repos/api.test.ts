// The repository endpoints of the REST API with the network policy and the source policy: real Requests,
// real tokens, a fresh database; what a curl user gets back and what the database then holds.
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as repoRoute from "@/app/api/v1/repos/[id]/route";
import * as reposRoute from "@/app/api/v1/repos/route";
import { dataDir, getDb } from "@/db";
import { auditEvents, repositories } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { makeTestRepos } from "@/lib/git/test-repos";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { createApiToken } from "@/lib/tokens/service";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function call(
  handler: Handler,
  token: string,
  options: { method?: string; id?: string; body?: unknown } = {},
) {
  const request = new Request(`http://localhost/api/v1/repos${options.id ? `/${options.id}` : ""}`, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, {
    params: Promise.resolve(options.id ? { id: options.id } : {}) as Promise<never>,
  });
  return { status: response.status, body: await response.json() };
}
const tokenFor = async (actor: Actor) => (await createApiToken(actor, { name: "repos" })).token;

describe("repositories through the API", () => {
  it("creates, reads and patches a repository's network policy as an admin", async () => {
    const admin = await teamAdmin();
    const token = await tokenFor(admin);
    const created = await call(reposRoute.POST, token, {
      body: {
        name: "web",
        source: repos.work,
        network: "allowlist",
        allowedHosts: ["Registry.npmjs.org", "*.githubusercontent.com", "registry.npmjs.org"],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.repo).toMatchObject({
      name: "web",
      defaultBranch: "main",
      network: "allowlist",
      allowedHosts: ["*.githubusercontent.com", "registry.npmjs.org"],
    });
    const id: string = created.body.repo.id;

    const read = await call(repoRoute.GET as Handler, token, { id });
    expect(read).toMatchObject({ status: 200, body: { repo: { id, network: "allowlist" } } });
    const list = await call(reposRoute.GET as Handler, token);
    expect(list.body.repos).toEqual([
      expect.objectContaining({ id, allowedHosts: created.body.repo.allowedHosts }),
    ]);

    // A PATCH changes only what it sends.
    const patched = await call(repoRoute.PATCH as Handler, token, {
      id,
      method: "PATCH",
      body: { network: "open", testCommand: "npm test" },
    });
    expect(patched).toMatchObject({
      status: 200,
      body: {
        repo: {
          id,
          name: "web",
          source: repos.work,
          network: "open",
          allowedHosts: [],
          testCommand: "npm test",
        },
      },
    });
    const db = await getDb();
    const [row] = await db.select().from(repositories).where(eq(repositories.id, id));
    expect(row).toMatchObject({
      network: "open",
      allowedHosts: [],
      testCommand: "npm test",
      defaultBranch: "main",
    });
    const actions = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.objectId, id))
      .orderBy(auditEvents.id);
    expect(actions.map((a) => [a.action, a.source])).toEqual([
      ["repo.created", "api"],
      ["repo.network_changed", "api"],
      ["repo.updated", "api"],
    ]);

    const bad = await call(repoRoute.PATCH as Handler, token, {
      id,
      method: "PATCH",
      body: { network: "allowlist", allowedHosts: ["http://10.1.2.3:8080"] },
    });
    expect(bad).toEqual({
      status: 400,
      body: {
        error: {
          code: "bad_request",
          field: "allowedHosts",
          message:
            "Allowed hosts: enter host names without a scheme — '10.1.2.3:8080', not 'http://10.1.2.3:8080'.",
        },
      },
    });
  });

  it("gives a developer's token 403 on network access, 400 on a source in Foreman's data folder", async () => {
    const dev = await teamMember("developer");
    const token = await tokenFor(dev);
    const refused = await call(reposRoute.POST, token, {
      body: { name: "leaky", source: repos.work, network: "open" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "forbidden", field: "network" });
    expect(refused.body.error.message).toMatch(/^Only an admin can give a repository network access/);

    const created = await call(reposRoute.POST, token, { body: { name: "quiet", source: repos.bareUrl } });
    expect(created.status).toBe(201);
    expect(created.body.repo).toMatchObject({ network: "none", allowedHosts: [] });
    const id: string = created.body.repo.id;

    const patch = (body: unknown) => call(repoRoute.PATCH as Handler, token, { id, method: "PATCH", body });
    const opened = await patch({ network: "allowlist", allowedHosts: ["pypi.org"] });
    expect(opened.status).toBe(403);
    expect(opened.body.error.message).toMatch(/^Only an admin can change a repository's network access/);

    const inData = await patch({ source: `file://${dataDir()}` });
    expect(inData.status).toBe(400);
    expect(inData.body.error).toMatchObject({
      field: "source",
      message: expect.stringMatching(/its own data folder/),
    });

    expect(await patch({ mergeStrategy: "squash" })).toMatchObject({
      status: 200,
      body: { repo: { mergeStrategy: "squash", network: "none", source: repos.bareUrl } },
    });

    const stranger = await tokenFor(await otherTeamMember("admin"));
    const foreign = await call(repoRoute.PATCH as Handler, stranger, {
      id,
      method: "PATCH",
      body: { name: "mine" },
    });
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });
});
