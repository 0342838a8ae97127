import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { syncClone } from "@/lib/git/clone";
import { makeSourceRepo } from "@/lib/testing/engine-harness";
import { otherTeamMember, teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { fileLinesAt } from "./file-at";

describe("a file at a commit, for expanding context", () => {
  it("reads the task's repository at a full commit id, and refuses anything else with a reason", async () => {
    const admin = await teamAdmin();
    const source = makeSourceRepo({ "src/a.txt": "one\ntwo\nthree\n" });
    const { task, repo } = await insertRun(admin, { source });
    await syncClone(repo);
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: source, encoding: "utf8" }).trim();

    expect(await fileLinesAt(admin, task.id, { sha, path: "src/a.txt" })).toEqual({
      lines: ["one", "two", "three"],
    });
    const refused = (input: { sha: string | null; path: string | null }) =>
      fileLinesAt(admin, task.id, input).then(
        () => null,
        (error: { code: string; field?: string }) => [error.code, error.field],
      );
    expect(await refused({ sha: "HEAD", path: "src/a.txt" })).toEqual(["bad_request", "sha"]);
    expect(await refused({ sha: `${sha.slice(0, 39)}z`, path: "src/a.txt" })).toEqual(["bad_request", "sha"]);
    for (const path of ["../etc/passwd", "/etc/passwd", "src/../a.txt", "src//a.txt", "a\0b", "", null]) {
      expect(await refused({ sha, path })).toEqual(["bad_request", "path"]);
    }
    expect(await refused({ sha, path: "src/missing.txt" })).toEqual(["not_found", undefined]);
    // Another team's task is not found, whatever the commit.
    expect(
      await fileLinesAt(await otherTeamMember(), task.id, { sha, path: "src/a.txt" }).then(
        () => "read",
        (error: { code: string }) => error.code,
      ),
    ).toBe("not_found");
  });
});
