// Local sources are confined: never Foreman's data folder or app folder (inside, around, or by symlink or
// file:// URL), only inside FOREMAN_REPO_ROOTS when set; the demo repository is the one exception.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dataDir, getDb } from "@/db";
import { repositories } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { loadDemoWorkspace } from "@/lib/demo/workspace";
import { AppError } from "@/lib/errors";
import { GitSourceError } from "@/lib/git/remote";
import { git, makeTestRepos, type TestRepos } from "@/lib/git/test-repos";
import { otherTeamMember, teamAdmin } from "@/lib/testing/fixtures";
import { createRepo, updateRepo } from "./service";
import { assertSourceAllowed } from "./source-policy";

let repos: TestRepos;
let admin: Actor;
let data: string;
/** A real clone of another repository, where Foreman keeps them: a valid git source, but Foreman's own. */
let clone: string;
beforeAll(async () => {
  repos = makeTestRepos();
  admin = await teamAdmin();
  data = fs.realpathSync(dataDir());
  clone = path.join(data, "repos", `${randomUUID()}.git`);
  fs.mkdirSync(path.dirname(clone), { recursive: true });
  git(data, "clone", "-q", "--bare", repos.work, clone);
});
afterAll(() => repos.cleanup());
afterEach(() => {
  delete process.env.FOREMAN_REPO_ROOTS;
});

async function sourceError(source: string): Promise<string> {
  const db = await getDb();
  const before = await db.select().from(repositories).where(eq(repositories.teamId, admin.teamId));
  const error = await createRepo(admin, { name: `r-${randomUUID().slice(0, 8)}`, source }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: "bad_request", field: "source" });
  const after = await db.select().from(repositories).where(eq(repositories.teamId, admin.teamId));
  expect(after).toHaveLength(before.length);
  return (error as AppError).message;
}

describe("local repository sources", () => {
  it("refuses Foreman's data folder, anything inside it, and a file:// URL into it", async () => {
    expect(await sourceError(dataDir())).toBe(
      `Foreman can't use its own data folder (${data}) as a repository source.`,
    );
    // The clone is a perfectly readable repository: only the policy stands in the way.
    expect(await sourceError(clone)).toBe(
      `Foreman can't use a folder inside its own data folder (${data}) as a repository source: ${clone}. Register the original repository instead.`,
    );
    expect(await sourceError(`file://${clone}`)).toMatch(
      /^Foreman can't use a folder inside its own data folder/,
    );
    expect(await sourceError(path.join(data, "not-yet-there"))).toMatch(/inside its own data folder/);
  });

  it("refuses a symlink that points into the data folder, naming where it points", async () => {
    const link = path.join(repos.root, "innocent-looking");
    fs.symlinkSync(clone, link);
    expect(await sourceError(link)).toBe(
      `Foreman can't use a folder inside its own data folder (${data}) as a repository source: ${link} (which is ${clone}). Register the original repository instead.`,
    );
    const dangling = path.join(repos.root, "dangling");
    fs.symlinkSync(path.join(data, "repos", "future.git"), dangling);
    expect(await sourceError(dangling)).toMatch(/inside its own data folder/);
  });

  it("refuses the app folder and folders that contain the data folder", async () => {
    const app = fs.realpathSync(process.cwd());
    expect(await sourceError(process.cwd())).toBe(
      `Foreman can't use its own app folder (${app}) as a repository source.`,
    );
    expect(await sourceError("/")).toBe(
      `/ contains Foreman's data folder (${data}), so it can't be a repository source. Choose the repository's own folder.`,
    );
    expect(await sourceError(path.dirname(data))).toMatch(/contains Foreman's data folder/);
    expect(await sourceError(path.join(app, "lib"))).toMatch(/inside its own app folder/);
  });

  it("allows local sources only inside FOREMAN_REPO_ROOTS when it is set", async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-roots-"));
    process.env.FOREMAN_REPO_ROOTS = `${elsewhere}${path.delimiter}/srv/repos`;
    expect(await sourceError(repos.work)).toBe(
      `Local sources must be inside one of FOREMAN_REPO_ROOTS: ${elsewhere}, /srv/repos. ${repos.work} isn't; move or clone the repository there, or use a clone URL.`,
    );
    expect(await sourceError(repos.bareUrl)).toMatch(/must be inside one of FOREMAN_REPO_ROOTS/);
    // Still never the data folder, even when a root contains it.
    process.env.FOREMAN_REPO_ROOTS = path.dirname(data);
    expect(await sourceError(clone)).toMatch(/inside its own data folder/);

    process.env.FOREMAN_REPO_ROOTS = `/srv/repos${path.delimiter}${repos.root}`;
    const repo = await createRepo(admin, { name: "rooted", source: repos.work });
    expect(repo.source).toBe(repos.work);
    fs.rmSync(elsewhere, { recursive: true, force: true });
  });

  it("checks an edited repository's source too, even when only another field changes", async () => {
    const repo = await createRepo(admin, { name: "edited", source: repos.work });
    const error = await updateRepo(admin, repo.id, { source: clone }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      field: "source",
      message: expect.stringMatching(/inside its own data folder/),
    });

    process.env.FOREMAN_REPO_ROOTS = "/srv/repos";
    const moved = await updateRepo(admin, repo.id, { testCommand: "npm test" }).catch((e: unknown) => e);
    expect(moved).toMatchObject({ field: "source", message: expect.stringMatching(/FOREMAN_REPO_ROOTS/) });
    delete process.env.FOREMAN_REPO_ROOTS;
    expect((await updateRepo(admin, repo.id, { testCommand: "npm test" })).testCommand).toBe("npm test");
  });

  it("lets the engine check a source before cloning: URLs pass, Foreman's own folders don't", async () => {
    await expect(assertSourceAllowed("https://github.com/acme/web.git")).resolves.toMatchObject({
      kind: "url",
    });
    await expect(assertSourceAllowed("git@github.com:acme/web.git")).resolves.toMatchObject({ kind: "url" });
    await expect(assertSourceAllowed(repos.work)).resolves.toEqual({ kind: "local", location: repos.work });
    await expect(assertSourceAllowed(clone)).rejects.toBeInstanceOf(GitSourceError);
    await expect(assertSourceAllowed(`file://${data}`)).rejects.toThrow(/its own data folder/);
    await expect(assertSourceAllowed("file://otherhost/srv/x.git")).rejects.toThrow(
      /isn't a file:\/\/ URL of this server/,
    );
  });

  it("keeps the demo repository working: it lives in the data folder, for its own team only", async () => {
    const { repo } = await loadDemoWorkspace(admin);
    expect(repo.source.startsWith(dataDir())).toBe(true);
    process.env.FOREMAN_REPO_ROOTS = "/srv/repos";
    await expect(assertSourceAllowed(repo.source, { teamId: admin.teamId })).resolves.toBeDefined();
    await expect(assertSourceAllowed(repo.source)).resolves.toBeDefined();
    const edited = await updateRepo(admin, repo.id, { testCommand: "node --test test" });
    expect(edited.testCommand).toBe("node --test test");

    const stranger = await otherTeamMember("admin");
    await expect(assertSourceAllowed(repo.source, { teamId: stranger.teamId })).rejects.toThrow(
      /inside its own data folder/,
    );
    const error = await createRepo(stranger, { name: "theirs", source: repo.source }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      field: "source",
      message: expect.stringMatching(/inside its own data folder/),
    });
    // Nor anything inside the demo repository.
    await expect(assertSourceAllowed(path.join(repo.source, "src"))).rejects.toThrow(
      /inside its own data folder/,
    );
  });
});
