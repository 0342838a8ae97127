// A repository's network policy: admins set it, developers can't; hosts are validated with messages that
// name the field (in the form too), stored normalised, and every change of policy is audited.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db";
import { auditEvents, repositories } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { makeTestRepos, type TestRepos } from "@/lib/git/test-repos";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { updateRepoSchema } from "./schema";
import { createRepo, getRepo, updateRepo } from "./service";

let repos: TestRepos;
let admin: Actor;
let dev: Actor;
beforeAll(async () => {
  repos = makeTestRepos();
  admin = await teamAdmin();
  dev = await teamMember("developer");
});
afterAll(() => repos.cleanup());

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );

async function auditFor(id: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.objectId, id)).orderBy(auditEvents.id);
}

/** The first problem of a rejected call, as the form and the API show it: field and message. */
async function problem(promise: Promise<unknown>) {
  const error = await rejection(promise);
  if (error instanceof z.ZodError) {
    return { field: error.issues[0]?.path.join("."), message: error.issues[0]?.message };
  }
  expect(error).toBeInstanceOf(AppError);
  return {
    code: (error as AppError).code,
    field: (error as AppError).field,
    message: (error as AppError).message,
  };
}

describe("network policy", () => {
  it("lets an admin set an allowlist, stored trimmed, lower-cased, de-duplicated and sorted", async () => {
    const repo = await createRepo(admin, {
      name: "npm-app",
      source: repos.work,
      network: "allowlist",
      allowedHosts: [" Registry.NPMjs.org ", "*.GitHubUserContent.com", "registry.npmjs.org.", ""],
    });
    const db = await getDb();
    const [row] = await db.select().from(repositories).where(eq(repositories.id, repo.id));
    expect(row).toMatchObject({
      network: "allowlist",
      allowedHosts: ["*.githubusercontent.com", "registry.npmjs.org"],
    });
    const [created] = await auditFor(repo.id);
    expect(created?.details).toMatchObject({
      network: "allowlist",
      allowedHosts: ["*.githubusercontent.com", "registry.npmjs.org"],
    });
  });

  it("gives a developer's repository no network, and refuses a developer who asks for some", async () => {
    const repo = await createRepo(dev, { name: "dev-app", source: repos.work });
    expect(repo).toMatchObject({ network: "none", allowedHosts: [] });
    expect(await createRepo(dev, { name: "dev-none", source: repos.work, network: "none" })).toMatchObject({
      network: "none",
    });

    const refused = await problem(createRepo(dev, { name: "dev-open", source: repos.work, network: "open" }));
    expect(refused).toEqual({
      code: "forbidden",
      field: "network",
      message:
        "Only an admin can give a repository network access; your role (developer) registers it with none. Leave the network policy out, or ask an admin.",
    });
    const db = await getDb();
    expect(await db.select().from(repositories).where(eq(repositories.name, "dev-open"))).toEqual([]);
  });

  it("lets a developer edit other settings of an allowlisted repository, but not its policy", async () => {
    const repo = await createRepo(admin, {
      name: "shared",
      source: repos.work,
      network: "allowlist",
      allowedHosts: ["pypi.org"],
    });
    // What the form sends for a developer: every field but the network ones.
    const edited = await updateRepo(dev, repo.id, {
      name: "shared",
      source: repos.work,
      defaultBranch: repo.defaultBranch,
      setupCommand: "",
      testCommand: "pytest",
      mergeStrategy: "merge",
    });
    expect(edited).toMatchObject({ testCommand: "pytest", network: "allowlist", allowedHosts: ["pypi.org"] });
    // The same policy, spelled differently, is no change.
    await updateRepo(dev, repo.id, { network: "allowlist", allowedHosts: ["PyPI.org "] });

    for (const change of [
      { network: "open" as const },
      { network: "none" as const },
      { allowedHosts: ["x.org"] },
    ]) {
      const refused = await problem(updateRepo(dev, repo.id, change));
      expect(refused).toEqual({
        code: "forbidden",
        field: "network",
        message:
          "Only an admin can change a repository's network access; your role (developer) can edit its other settings.",
      });
    }
    expect(await getRepo(admin, repo.id)).toMatchObject({ network: "allowlist", allowedHosts: ["pypi.org"] });
  });

  it("audits every change of policy under its own action; leaving the allowlist drops the hosts", async () => {
    const repo = await createRepo(admin, { name: "audited", source: repos.work });
    await updateRepo(admin, repo.id, {
      network: "allowlist",
      allowedHosts: ["a.example.com", "b.example.com"],
    });
    await updateRepo(admin, repo.id, { network: "open", testCommand: "make test" });
    expect(await getRepo(admin, repo.id)).toMatchObject({ network: "open", allowedHosts: [] });
    await updateRepo(admin, repo.id, { testCommand: "make check" });

    const audit = (await auditFor(repo.id)).map((a) => [a.action, a.details]);
    expect(audit).toEqual([
      ["repo.created", expect.objectContaining({ network: "none", allowedHosts: [] })],
      [
        "repo.network_changed",
        {
          from: { network: "none", allowedHosts: [] },
          to: { network: "allowlist", allowedHosts: ["a.example.com", "b.example.com"] },
        },
      ],
      [
        "repo.network_changed",
        {
          from: { network: "allowlist", allowedHosts: ["a.example.com", "b.example.com"] },
          to: { network: "open", allowedHosts: [] },
        },
      ],
      ["repo.updated", { changes: { testCommand: { from: null, to: "make test" } } }],
      ["repo.updated", { changes: { testCommand: { from: "make test", to: "make check" } } }],
    ]);
  });

  it("refuses bad hosts with a message naming the field and the host", async () => {
    const cases: [string[] | string, RegExp][] = [
      [
        ["https://registry.npmjs.org/"],
        /^Allowed hosts: enter host names without a scheme — 'registry\.npmjs\.org'/,
      ],
      [["10.0.0.1"], /^Allowed hosts: '10\.0\.0\.1' is an IP address\. Name the host instead/],
      [["127.0.0.1:8080"], /is an IP address/],
      [["[::1]"], /is an IP address/],
      [["fe80::1"], /is an IP address/],
      [["example.com:8080"], /^Allowed hosts: enter host names without a port, not 'example\.com:8080'/],
      [["example.com/simple"], /^Allowed hosts: enter host names without a path/],
      [["foo.*.example.com"], /^Allowed hosts: a wildcard only works at the start/],
      [["*.com"], /^Allowed hosts: '\*\.com' would allow a whole top-level domain/],
      [["localhost"], /^Allowed hosts: 'localhost' is this machine/],
      [["ex_ample.com"], /^Allowed hosts: 'ex_ample\.com' isn't a valid host name/],
      [
        [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}`],
        /longer than 253 characters/,
      ],
      [
        Array.from({ length: 51 }, (_, i) => `h${i}.example.com`),
        /^Allowed hosts: at most 50 hosts \(51 given\)/,
      ],
    ];
    for (const [allowedHosts, message] of cases) {
      const refused = await problem(
        createRepo(admin, { name: "bad", source: repos.work, network: "allowlist", allowedHosts }),
      );
      expect(refused.field).toBe("allowedHosts");
      expect(refused.message).toMatch(message);
    }
    expect(
      await problem(createRepo(admin, { name: "bad", source: repos.work, allowedHosts: 3 as never })),
    ).toMatchObject({
      field: "allowedHosts",
      message: expect.stringMatching(/^Allowed hosts must be a list/),
    });
    expect(
      await problem(createRepo(admin, { name: "bad", source: repos.work, network: "closed" as never })),
    ).toEqual({ field: "network", message: 'Network must be "none", "allowlist" or "open".' });
    expect(
      await problem(createRepo(admin, { name: "bad", source: repos.work, network: "allowlist" })),
    ).toEqual({
      code: "bad_request",
      field: "allowedHosts",
      message:
        "Allowed hosts: an allowlist needs at least one host the sandbox may reach (e.g. registry.npmjs.org), or choose another network policy.",
    });
    expect(
      await problem(
        createRepo(admin, { name: "bad", source: repos.work, network: "open", allowedHosts: ["a.io"] }),
      ),
    ).toMatchObject({
      field: "allowedHosts",
      message: expect.stringMatching(/only apply to the "allowlist"/),
    });
    const db = await getDb();
    expect(await db.select().from(repositories).where(eq(repositories.name, "bad"))).toEqual([]);
  });

  it("reads the form's textarea, and puts a bad host on the field", async () => {
    const form = { id: "x", name: "f", source: repos.work, network: "allowlist" };
    const parsed = updateRepoSchema.parse({ ...form, allowedHosts: "b.example.com\r\na.example.com, c.io" });
    expect(parsed.allowedHosts).toEqual(["a.example.com", "b.example.com", "c.io"]);

    const bad = updateRepoSchema.safeParse({ ...form, allowedHosts: "ok.example.com\n192.168.1.10" });
    expect(bad.success).toBe(false);
    // The form shows an issue under the field its path starts with (errorState in authed-action).
    expect(bad.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      [
        "allowedHosts",
        "Allowed hosts: '192.168.1.10' is an IP address. Name the host instead (e.g. registry.npmjs.org).",
      ],
    ]);
  });
});
