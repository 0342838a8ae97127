import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeGitFailure, GitSourceError, inspectSource, normalizeSource } from "./remote";
import { makeTestRepos, type TestRepos } from "./test-repos";

let repos: TestRepos;
beforeAll(() => {
  repos = makeTestRepos();
});
afterAll(() => repos.cleanup());

async function failure(source: string, options?: { timeoutMs?: number }): Promise<string> {
  const error = await inspectSource(source, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitSourceError);
  return (error as Error).message;
}

describe("inspectSource", () => {
  it("lists a local repository's branches with its HEAD branch first", async () => {
    const info = await inspectSource(repos.work);
    expect(info.branches).toEqual(["main", "dev"]);
    expect(info.headBranch).toBe("main");
    expect(info.source).toEqual({ kind: "local", location: repos.work });
  });

  it("resolves relative paths and ~ to absolute paths", async () => {
    const relative = path.relative(process.cwd(), repos.work);
    expect((await inspectSource(relative)).source.location).toBe(repos.work);

    const home = process.env.HOME;
    process.env.HOME = repos.root;
    try {
      expect(os.homedir()).toBe(repos.root);
      const info = await inspectSource("~/work");
      expect(info.source.location).toBe(repos.work);
      expect(info.branches).toContain("dev");
    } finally {
      process.env.HOME = home;
    }
  });

  it("reads a bare repository by file:// URL, following its HEAD", async () => {
    const info = await inspectSource(repos.bareUrl);
    expect(info.headBranch).toBe("dev");
    expect(info.branches).toEqual(["dev", "main"]);
    expect(info.source).toMatchObject({ kind: "url", location: repos.bareUrl });
  });

  it("explains a missing folder, a file, a plain folder, a subfolder and an empty repository", async () => {
    const missing = path.join(repos.root, "nope");
    expect(await failure(missing)).toBe(`No folder at ${missing}`);
    expect(await failure(path.join(repos.root, "file.txt"))).toBe(
      `${path.join(repos.root, "file.txt")} is a file, not a folder`,
    );
    expect(await failure(repos.plain)).toBe(`${repos.plain} is not a git repository`);
    // A folder inside a repository is not the repository.
    const sub = path.join(repos.work, ".git", "refs");
    expect(await failure(sub)).toBe(`${sub} is not a git repository`);
    expect(await failure(repos.empty)).toMatch(new RegExp(`^${repos.empty} has no commits yet`));
    expect(await failure(`file://${missing}`)).toBe(`No git repository at file://${missing}`);
  });

  it("refuses transports that run programs and arguments that look like options", async () => {
    expect(await failure("ext::sh -c touch% /tmp/pwned")).toMatch(/can't use ext:: sources/);
    expect(await failure("-uploadpack=touch /tmp/pwned")).toMatch(/is not a path or a URL/);
    expect(await failure("gopher://example.com/x")).toMatch(/can't use gopher:\/\/ sources/);
  });

  it("fails fast with a clear message when a URL needs credentials", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const url = `http://127.0.0.1:${port}/team/app.git`;
      expect(await failure(url)).toMatch(new RegExp(`^${url} asks for credentials`));
    } finally {
      server.close();
    }
  });

  it("gives up on a host that never answers", async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket)); // accepts, never replies
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const started = Date.now();
      const url = `http://127.0.0.1:${port}/slow.git`;
      expect(await failure(url, { timeoutMs: 1000 })).toBe(
        `No answer from ${url} within 1 s. Check the address and that the host is reachable from the server.`,
      );
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});

describe("normalizeSource", () => {
  it("tells scp-like and URL sources from paths", () => {
    expect(normalizeSource("git@github.com:acme/app.git")).toEqual({
      kind: "url",
      location: "git@github.com:acme/app.git",
      host: "github.com",
    });
    expect(normalizeSource(" https://github.com/acme/app.git ")).toMatchObject({
      kind: "url",
      location: "https://github.com/acme/app.git",
      host: "github.com",
    });
    expect(normalizeSource("./code/app")).toEqual({ kind: "local", location: path.resolve("code/app") });
  });
});

describe("describeGitFailure", () => {
  const url = { kind: "url", location: "git@example.com:acme/app.git", host: "example.com" } as const;
  it("maps git's known complaints and quotes the first line of unknown ones", () => {
    expect(
      describeGitFailure(url, {
        reason: "failed",
        stderr: "git@example.com: Permission denied (publickey).\n",
      }),
    ).toMatch(/^example.com refused the server's SSH key/);
    expect(
      describeGitFailure(url, {
        reason: "failed",
        stderr: "ssh: Could not resolve hostname example.com: Name or service not known\n",
      }),
    ).toMatch(/^Can't find the host example.com/);
    expect(describeGitFailure(url, { reason: "failed", stderr: "Host key verification failed.\n" })).toMatch(
      /isn't known to the server yet/,
    );
    expect(
      describeGitFailure(url, {
        reason: "failed",
        stderr: "hint: something\nfatal: the moon is in the way\n",
      }),
    ).toBe("git couldn't read git@example.com:acme/app.git: the moon is in the way");
    expect(describeGitFailure(url, { reason: "missing", stderr: "" })).toMatch(/git is not installed/);
  });
});
