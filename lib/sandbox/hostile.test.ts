// A hostile agent: a scripted model (the fake Messages API, through the real SDK and the real engine) runs
// the attacks a prompt-injected run would try, as bash tool calls and as the repository's test command.
// Every attack must be blocked by the sandbox; the same attacks with FOREMAN_SANDBOX=off succeed (checked at
// the end), which shows each test would fail if the sandbox were turned off.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dataDir } from "@/db";
import { repositories } from "@/db/schema";
import { serializeRun } from "@/lib/api/serialize";
import { resetSandboxStatus } from "@/lib/sandbox/status";
import { listBoardTasks } from "@/lib/tasks/board";
import { CALCULATOR, type EngineSetup, engineSetup, makeSourceRepo } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { alive } from "@/lib/testing/processes";

const SECRETS = {
  AUTH_SECRET: `auth-${randomBytes(8).toString("hex")}`,
  ANTHROPIC_API_KEY: `sk-ant-${randomBytes(8).toString("hex")}`,
};
const tag = randomBytes(4).toString("hex");
const homeCanary = path.join(os.homedir(), `.foreman-canary-${tag}`);
const homeCanaryText = `home-canary-${tag}`;
let secretFile: string;
const secretFileText = `secret-file-${tag}`;
let listener: net.Server;
let listenerPort = 0;
let connections = 0;
/** A process started with the secrets in its environment, as the server is: /proc shows that environment. */
let serverStandIn: ChildProcess;

beforeAll(async () => {
  Object.assign(process.env, SECRETS);
  serverStandIn = spawn("sleep", ["600"], { env: { ...process.env, ...SECRETS }, stdio: "ignore" });
  secretFile = path.join(dataDir(), "auth-secret");
  fs.mkdirSync(dataDir(), { recursive: true });
  fs.writeFileSync(secretFile, secretFileText, { mode: 0o600 });
  fs.writeFileSync(homeCanary, homeCanaryText, { mode: 0o600 });
  // Stands for Foreman's own port and PostgreSQL's: a loopback service of the host.
  listener = net.createServer((socket) => {
    connections++;
    socket.on("error", () => {});
    socket.end("hello from the host\n");
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listenerPort = (listener.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const name of Object.keys(SECRETS)) delete process.env[name];
  fs.rmSync(homeCanary, { force: true });
  serverStandIn.kill("SIGKILL");
  await new Promise((resolve) => listener.close(resolve));
});

let current: EngineSetup | undefined;
afterEach(async () => {
  await current?.fake.close();
  current = undefined;
});

/**
 * The agent's command, after writing a file: only a run that changed files is verified, and these tests
 * need the repository's test command to run (in the sandbox) as well.
 */
const changingAFile = (command: string) => `echo attacked > attack-marker.txt; ${command}`;

/**
 * One run whose agent runs `command` with bash and whose repository's test command is the same
 * command: the tool result and the verification output, and the run's source repository.
 */
async function attack(command: string) {
  const h = await engineSetup({ testCommand: command });
  current = h;
  h.fake.enqueue(fakeToolUse("bash", { command: changingAFile(command) }), fakeText("Done."));
  const run = await h.execute();
  const toolOutput = h.fake.requests[1]?.body.messages.at(-1).content[0].content as string;
  return {
    h,
    run,
    toolOutput,
    testOutput: run.verifyOutput ?? "",
    both: `${toolOutput}\n${run.verifyOutput}`,
  };
}

const ATTACKS = {
  secretsViaProc: () =>
    `tr '\\0' '\\n' < /proc/$PPID/environ; for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ; done 2>/dev/null | sort -u`,
  readsHostFiles: () =>
    `cat ${secretFile}; cat ${homeCanary}; ls ${path.join(dataDir(), "repos")}; ls ${process.cwd()}/package.json`,
  writesOutside: (name: string) =>
    `for f in /tmp/${name} ${dataDir()}/${name} ${os.homedir()}/${name} ${process.cwd()}/${name}; do echo pwned > $f; done; true`,
  loopback: () =>
    `(exec 3<>/dev/tcp/127.0.0.1/${listenerPort} && echo CONNECTED-HOST) 2>&1; (exec 3<>/dev/tcp/127.0.0.1/5432 && echo CONNECTED-PG) 2>&1; true`,
  survivor: (marker: string) =>
    `setsid sh -c 'exec sleep ${marker}' >/dev/null 2>&1 & nohup sleep ${marker} >/dev/null 2>&1 & echo started`,
  pushToSource: (source: string) =>
    `git push ${source} HEAD:refs/heads/evil 2>&1; git push origin HEAD:refs/heads/evil-origin 2>&1; git remote -v; true`,
};

describe("a hostile agent in the sandbox", () => {
  beforeAll(() => {
    delete process.env.FOREMAN_SANDBOX;
    resetSandboxStatus();
  });

  it("can't read the server's secrets through /proc", async () => {
    const { h, run, both } = await attack(ATTACKS.secretsViaProc());
    expect(run.sandbox?.mode).toBe("bwrap");
    expect(serializeRun(run).sandbox).toMatchObject({ mode: "bwrap", unsandboxed: false });
    const cards = (await listBoardTasks(h.admin)).flatMap((task) => task.cards);
    expect(cards.find((c) => c.runId === run.id)?.unsandboxed).toBe(false);
    for (const value of Object.values(SECRETS)) expect(both).not.toContain(value);
    expect(both).not.toMatch(/DATABASE_URL|AUTH_SECRET|ANTHROPIC_API_KEY/);
  });

  it("can't read Foreman's data folder, its secret file, other clones or the server user's home", async () => {
    const { both } = await attack(ATTACKS.readsHostFiles());
    expect(both).not.toContain(secretFileText);
    expect(both).not.toContain(homeCanaryText);
    expect(both).toContain("No such file or directory");
    expect(both).not.toMatch(/\.git\n/); // no listing of the clones
  });

  it("can't write outside the repository: /tmp, the data folder, the home and the app's folder stay untouched", async () => {
    const name = `pwned-${randomBytes(4).toString("hex")}`;
    await attack(ATTACKS.writesOutside(name));
    for (const dir of ["/tmp", dataDir(), os.homedir(), process.cwd()]) {
      expect(fs.existsSync(path.join(dir, name)), dir).toBe(false);
    }
  });

  it("can't reach the host's loopback services (Foreman's port, PostgreSQL)", async () => {
    const before = connections;
    const { both } = await attack(ATTACKS.loopback());
    expect(both).not.toContain("CONNECTED");
    expect(connections).toBe(before);
  });

  it.each([
    ["allowlist", ["registry.example.test"]],
    ["open", []],
  ] as const)(
    "with network %s, the host's loopback stays out of reach, through the proxy too",
    async (network, allowedHosts) => {
      const before = connections;
      const viaProxy = (target: string) =>
        `(exec 3<>/dev/tcp/127.0.0.1/3128 && printf 'GET http://${target}/ HTTP/1.1\r\nHost: ${target}\r\nConnection: close\r\n\r\n' >&3 && timeout 10 cat <&3 | head -1)`;
      const command = [
        "echo proxy=$HTTPS_PROXY",
        ATTACKS.loopback(),
        viaProxy(`127.0.0.1:${listenerPort}`),
        viaProxy(`localhost:${listenerPort}`),
        viaProxy("not-listed.example.test"),
      ].join("; ");
      const h = await engineSetup({
        testCommand: command,
        repo: { network, allowedHosts: [...allowedHosts] },
      });
      current = h;
      h.fake.enqueue(fakeToolUse("bash", { command: changingAFile(command) }), fakeText("Done."));
      const run = await h.execute();
      const output = h.fake.requests[1]?.body.messages.at(-1).content[0].content as string;
      expect(run.sandbox).toEqual({ mode: "bwrap", network, allowedHosts });
      for (const text of [output, run.verifyOutput ?? ""]) {
        expect(text).toContain("proxy=http://127.0.0.1:3128");
        expect(text).not.toContain("CONNECTED");
        expect(text).not.toContain("hello from the host");
        expect(text.match(/HTTP\/1\.1 403/g)?.length ?? 0).toBeGreaterThanOrEqual(
          network === "allowlist" ? 3 : 2,
        );
      }
      expect(connections).toBe(before);
    },
  );

  it("leaves no process running after a command, setsid and nohup included", async () => {
    const marker = String(3000 + Math.floor(Math.random() * 5000));
    const { both } = await attack(ATTACKS.survivor(marker));
    expect(both).toContain("started");
    expect(alive(`sleep ${marker}`)).toBe(false);
  });

  it("is held to the agent's limits: processes, memory, CPU time", async () => {
    const command = [
      "timeout 3 bash -c 'for i in $(seq 1 60); do sleep 2 >/dev/null & done' 2>&1 | grep -m1 fork; echo spawned",
      `node -e 'const b = Buffer.alloc(400 * 1024 * 1024, 1); console.log("allocated", b.length)' 2>&1 | tail -1`,
      "bash -c 'while :; do :; done'; echo cpu-exit=$?",
    ].join("; ");
    const h = await engineSetup({
      testCommand: "true",
      agent: { sandboxLimits: { maxProcesses: 24, memoryMb: 256, cpuSeconds: 1 } },
    });
    current = h;
    h.fake.enqueue(fakeToolUse("bash", { command }), fakeText("Done."));
    await h.execute();
    const output = h.fake.requests[1]?.body.messages.at(-1).content[0].content as string;
    expect(output).toMatch(/fork: retry: Resource temporarily unavailable/);
    expect(output).not.toContain("allocated 419430400");
    // The busy loop ends after a second of CPU: SIGXCPU (128 + 24) or, at the hard limit, SIGKILL (128 + 9).
    expect(output).toMatch(/cpu-exit=(152|137)/);
  });

  it("can't push to the repository's source; only Foreman pushes the run branch", async () => {
    const other = makeSourceRepo(CALCULATOR);
    const { h } = await attack(ATTACKS.pushToSource(other));
    for (const source of [other, h.source]) {
      const refs = execFileSync("git", ["for-each-ref", "--format=%(refname)"], {
        cwd: source,
        encoding: "utf8",
      });
      expect(refs).not.toContain("evil");
    }
  });

  it("a repository whose local source is inside Foreman's data folder never runs", async () => {
    const h = await engineSetup();
    current = h;
    const secretClone = path.join(dataDir(), "repos", "someone-elses.git");
    execFileSync("git", ["clone", "-q", "--bare", h.source, secretClone]);
    await h.db.update(repositories).set({ source: secretClone }).where(eq(repositories.id, h.repo.id));
    const run = await h.execute();
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/data folder/);
    expect(h.fake.requests).toHaveLength(0);
  });

  it("a planted .git with a core.fsmonitor never runs on the host when Foreman checkpoints", async () => {
    const marker = path.join(os.tmpdir(), `fsmonitor-ran-${randomBytes(4).toString("hex")}`);
    const plant = [
      "mkdir -p evil/objects evil/refs/heads",
      "echo 'ref: refs/heads/main' > evil/HEAD",
      `printf '[core]\\n\\trepositoryformatversion = 0\\n\\tfsmonitor = "touch ${marker}; false"\\n\\tbare = false\\n\\tworktree = ..\\n' > evil/config`,
      "rm -rf .git && echo 'gitdir: evil' > .git",
      "echo change > changed.txt",
    ].join(" && ");
    const h = await engineSetup();
    current = h;
    h.fake.enqueue(fakeToolUse("bash", { command: plant }), fakeText("Done."));
    const run = await h.execute();
    expect(run.status).toBe("succeeded");
    expect(fs.existsSync(marker)).toBe(false);
    // Foreman's checkpoint still happened, in its own clone, and reached the source as the run branch.
    expect(h.sourceGit("show", `${run.branch}:changed.txt`)).toBe("change");
  });
});

describe("the same attacks with FOREMAN_SANDBOX=off succeed (so the tests above would catch a missing sandbox)", () => {
  beforeAll(() => {
    process.env.FOREMAN_SANDBOX = "off";
    resetSandboxStatus();
  });
  afterAll(() => {
    delete process.env.FOREMAN_SANDBOX;
    resetSandboxStatus();
  });

  it("secrets, files, writes, loopback, survivors and pushes all get through", async () => {
    const secrets = await attack(ATTACKS.secretsViaProc());
    expect(secrets.run.sandbox?.mode).toBe("off");
    // Said everywhere the run shows: the API's run object and the board card.
    expect(serializeRun(secrets.run).sandbox).toMatchObject({ mode: "off", unsandboxed: true });
    const board = await listBoardTasks(secrets.h.admin);
    const card = board.flatMap((task) => task.cards).find((c) => c.runId === secrets.run.id);
    expect(card?.unsandboxed).toBe(true);
    expect(secrets.both).toContain(SECRETS.AUTH_SECRET);

    const reads = await attack(ATTACKS.readsHostFiles());
    expect(reads.both).toContain(secretFileText);

    const name = `pwned-off-${randomBytes(4).toString("hex")}`;
    await attack(ATTACKS.writesOutside(name));
    expect(fs.existsSync(path.join("/tmp", name))).toBe(true);
    for (const dir of ["/tmp", dataDir(), os.homedir(), process.cwd()])
      fs.rmSync(path.join(dir, name), { force: true });

    const loop = await attack(ATTACKS.loopback());
    expect(loop.both).toContain("CONNECTED-HOST");

    const marker = String(9000 + Math.floor(Math.random() * 900));
    await attack(ATTACKS.survivor(marker));
    const survived = alive(`sleep ${marker}`);
    execFileSync("pkill", ["-f", `sleep ${marker}`]).toString();
    expect(survived).toBe(true);

    const target = makeSourceRepo(CALCULATOR);
    await attack(ATTACKS.pushToSource(target));
    expect(
      execFileSync("git", ["for-each-ref", "--format=%(refname)"], { cwd: target, encoding: "utf8" }),
    ).toContain("refs/heads/evil");
  });
});
