import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { agents, auditEvents, repositories, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { makeTestRepos, type TestRepos } from "@/lib/git/test-repos";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { createRepo, deleteRepo, getRepo, listRepos, updateRepo } from "./service";

let repos: TestRepos;
let admin: Actor;
beforeAll(async () => {
  repos = makeTestRepos();
  admin = await teamAdmin();
});
afterAll(() => repos.cleanup());

/** The AppError a call rejects with (fails the test when it resolves or throws something else). */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function auditFor(id: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.objectId, id)).orderBy(auditEvents.id);
}

async function repoRows(actor: Actor) {
  const db = await getDb();
  return db.select().from(repositories).where(eq(repositories.teamId, actor.teamId));
}

describe("repositories", () => {
  it("registers a local repository with its absolute path and writes one audit row", async () => {
    const dev = await teamMember("developer");
    const relative = path.relative(process.cwd(), repos.work);
    const repo = await createRepo(dev, {
      name: " app ",
      source: relative,
      defaultBranch: "dev",
      setupCommand: "npm ci",
      testCommand: "",
      mergeStrategy: "squash",
    });
    const db = await getDb();
    const [row] = await db.select().from(repositories).where(eq(repositories.id, repo.id));
    expect(row).toMatchObject({
      teamId: admin.teamId,
      name: "app",
      source: repos.work,
      defaultBranch: "dev",
      setupCommand: "npm ci",
      testCommand: null,
      mergeStrategy: "squash",
      createdBy: dev.userId,
    });
    const audit = await auditFor(repo.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "repo.created",
      actorId: dev.userId,
      teamId: admin.teamId,
      objectType: "repository",
      details: { name: "app", source: repos.work, defaultBranch: "dev" },
    });
  });

  it("uses the source's HEAD branch when the default branch is left empty", async () => {
    const local = await createRepo(admin, { name: "work-head", source: repos.work, defaultBranch: "" });
    expect(local).toMatchObject({ defaultBranch: "main", mergeStrategy: "merge", setupCommand: null });
    const bare = await createRepo(admin, { name: "bare", source: repos.bareUrl });
    expect(bare).toMatchObject({ source: repos.bareUrl, defaultBranch: "dev" });
  });

  it("refuses NUL and unpaired surrogates at their field and saves nothing", async () => {
    const before = (await repoRows(admin)).length;
    const message = "Remove the NUL or broken unicode characters: they can't be saved.";
    for (const [input, field] of [
      [{ name: "Bad\u0000name", source: repos.work }, "name"],
      [{ name: "Bad", source: `${repos.work}\u0000` }, "source"],
      [{ name: "Bad", source: repos.work, defaultBranch: "main\ud800" }, "defaultBranch"],
      [{ name: "Bad", source: repos.work, testCommand: "npm test \udfff" }, "testCommand"],
    ] as const) {
      const error = await createRepo(admin, input).then(
        () => null,
        (e: { issues?: { path: PropertyKey[]; message: string }[] }) => e.issues?.[0],
      );
      expect(error).toMatchObject({ path: [field], message });
    }
    expect(await repoRows(admin)).toHaveLength(before);
  });

  it("puts source problems on the source field and saves nothing", async () => {
    const before = (await repoRows(admin)).length;
    const missing = path.join(repos.root, "missing");
    let error = await appError(createRepo(admin, { name: "x", source: missing }));
    expect(error).toMatchObject({ code: "bad_request", field: "source", message: `No folder at ${missing}` });
    error = await appError(createRepo(admin, { name: "x", source: repos.plain }));
    expect(error).toMatchObject({ field: "source", message: `${repos.plain} is not a git repository` });
    error = await appError(createRepo(admin, { name: "x", source: repos.empty }));
    expect(error.field).toBe("source");
    expect(error.message).toMatch(/has no commits yet/);
    expect(await repoRows(admin)).toHaveLength(before);
  });

  it("names the branches a repository has when the default branch doesn't exist", async () => {
    const error = await appError(
      createRepo(admin, { name: "typo", source: repos.work, defaultBranch: "mian" }),
    );
    expect(error).toMatchObject({
      code: "bad_request",
      field: "defaultBranch",
      message: "Branch 'mian' not found. The repository has: main, dev",
    });
    expect((await repoRows(admin)).some((r) => r.name === "typo")).toBe(false);
  });

  it("refuses a name the team already uses, whatever its case", async () => {
    const error = await appError(createRepo(admin, { name: "APP", source: repos.work }));
    expect(error).toMatchObject({ code: "conflict", field: "name" });
    expect(error.message).toMatch(/already has a repository named APP/);
    await expect(createRepo(admin, { name: "x".repeat(81), source: repos.work })).rejects.toThrow(
      /at most 80 characters/,
    );
  });

  it("lets viewers read but not write", async () => {
    const viewer = await teamMember("viewer");
    const list = await listRepos(viewer);
    expect(list.map((r) => r.name)).toEqual(["app", "bare", "work-head"]);
    const app = list.find((r) => r.name === "app");
    if (!app) throw new Error("no app");
    expect((await getRepo(viewer, app.id)).name).toBe("app");

    const count = (await repoRows(admin)).length;
    expect((await appError(createRepo(viewer, { name: "v", source: repos.work }))).code).toBe("forbidden");
    expect((await appError(updateRepo(viewer, app.id, { name: "v", source: repos.work }))).code).toBe(
      "forbidden",
    );
    expect((await appError(deleteRepo(viewer, app.id))).code).toBe("forbidden");
    expect(await repoRows(admin)).toHaveLength(count);
    expect(await getRepo(admin, app.id)).toMatchObject({ name: "app" });
    expect(await auditFor(app.id)).toHaveLength(1);
  });

  it("hides other teams' repositories: unknown, foreign and malformed ids are not found", async () => {
    const stranger = await otherTeamMember("admin");
    const [app] = (await repoRows(admin)).filter((r) => r.name === "app");
    if (!app) throw new Error("no app");
    expect(await listRepos(stranger)).toEqual([]);
    for (const id of [app.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid", "'; drop table x"]) {
      const error = await appError(getRepo(stranger, id));
      expect(error).toMatchObject({ code: "not_found", message: "Repository not found." });
    }
    expect((await appError(updateRepo(stranger, app.id, { name: "mine", source: repos.work }))).code).toBe(
      "not_found",
    );
    expect((await appError(deleteRepo(stranger, app.id))).code).toBe("not_found");
    expect(await getRepo(admin, app.id)).toMatchObject({ name: "app", teamId: admin.teamId });

    // The same name is free in another team.
    const theirs = await createRepo(stranger, { name: "app", source: repos.work });
    expect(theirs.teamId).toBe(stranger.teamId);
  });

  it("edits a repository, checking a changed branch and recording what changed", async () => {
    const [app] = (await repoRows(admin)).filter((r) => r.name === "app");
    if (!app) throw new Error("no app");
    const updated = await updateRepo(admin, app.id, {
      name: "app-renamed",
      source: repos.work,
      defaultBranch: "main",
      setupCommand: "npm ci",
      testCommand: "npm test",
      mergeStrategy: "merge",
    });
    expect(updated).toMatchObject({ name: "app-renamed", defaultBranch: "main", testCommand: "npm test" });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(app.updatedAt.getTime());
    const audit = await auditFor(app.id);
    expect(audit.map((a) => a.action)).toEqual(["repo.created", "repo.updated"]);
    expect(audit[1]?.details).toEqual({
      changes: {
        name: { from: "app", to: "app-renamed" },
        defaultBranch: { from: "dev", to: "main" },
        testCommand: { from: null, to: "npm test" },
        mergeStrategy: { from: "squash", to: "merge" },
      },
    });

    const error = await appError(
      updateRepo(admin, app.id, { name: "app-renamed", source: repos.work, defaultBranch: "release" }),
    );
    expect(error).toMatchObject({
      field: "defaultBranch",
      message: "Branch 'release' not found. The repository has: main, dev",
    });
    expect(
      (await appError(updateRepo(admin, app.id, { name: "bare", source: repos.work, defaultBranch: "main" })))
        .field,
    ).toBe("name");
    expect(await getRepo(admin, app.id)).toMatchObject({ name: "app-renamed", defaultBranch: "main" });
    expect(await auditFor(app.id)).toHaveLength(2);
  });

  it("edits commands without reaching the source again when source and branch are unchanged", async () => {
    const moved = path.join(repos.root, "moved-away");
    fs.cpSync(repos.work, moved, { recursive: true });
    const repo = await createRepo(admin, { name: "moving", source: moved, defaultBranch: "main" });
    fs.rmSync(moved, { recursive: true, force: true });
    const updated = await updateRepo(admin, repo.id, {
      name: "moving",
      source: moved,
      defaultBranch: "main",
      testCommand: "make test",
    });
    expect(updated.testCommand).toBe("make test");
    const error = await appError(
      updateRepo(admin, repo.id, { name: "moving", source: moved, defaultBranch: "dev" }),
    );
    expect(error).toMatchObject({ field: "source", message: `No folder at ${moved}` });
  });

  it("deletes a repository without tasks, and refuses while tasks use it", async () => {
    const db = await getDb();
    const used = await createRepo(admin, { name: "used", source: repos.work });
    const [agent] = await db
      .insert(agents)
      .values({ teamId: admin.teamId, name: "Agent", model: "claude-sonnet-4-5" })
      .returning();
    if (!agent) throw new Error("no agent");
    await db.insert(tasks).values({
      teamId: admin.teamId,
      number: 1,
      title: "Fix it",
      prompt: "Fix it",
      repoId: used.id,
      agentId: agent.id,
      baseBranch: "main",
    });
    const error = await appError(deleteRepo(admin, used.id));
    expect(error).toMatchObject({ code: "conflict" });
    expect(error.message).toBe(
      "Can't delete used: 1 task uses it, and Foreman keeps every task's history. Only a repository without tasks can be deleted.",
    );
    expect(await getRepo(admin, used.id)).toMatchObject({ name: "used" });
    expect((await auditFor(used.id)).map((a) => a.action)).toEqual(["repo.created"]);

    const doomed = await createRepo(admin, { name: "doomed", source: repos.work });
    await deleteRepo(admin, doomed.id);
    expect(await db.select().from(repositories).where(eq(repositories.id, doomed.id))).toEqual([]);
    const audit = await auditFor(doomed.id);
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      [
        "repo.created",
        { name: "doomed", source: repos.work, defaultBranch: "main", network: "none", allowedHosts: [] },
      ],
      ["repo.deleted", { name: "doomed", source: repos.work }],
    ]);
    expect((await appError(deleteRepo(admin, doomed.id))).code).toBe("not_found");
    const deletions = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, admin.teamId), eq(auditEvents.action, "repo.deleted")));
    expect(deletions).toHaveLength(1);
  });
});
