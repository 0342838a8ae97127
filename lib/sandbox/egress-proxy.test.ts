// Real sockets throughout: an upstream HTTP server and a TCP echo server on 127.0.0.1, the proxy on a Unix
// socket, requests sent through that socket. There is no internet here, so the allowed path is exercised
// with an injected resolver (names → 127.0.0.1) and an address check that permits everything.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EgressDecision, type EgressProxyOptions, startEgressProxy } from "./egress-proxy";
import { proxyBridgeScript } from "./proxy-bridge";

let dir: string;
let upstream: http.Server;
let echo: net.Server;
let httpPort: number;
let echoPort: number;
const seen: { url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

const listen = (server: net.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "egress-proxy-"));
  upstream = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ url: req.url, headers: req.headers, body });
      res.end(`upstream saw ${req.method} ${req.url} host=${req.headers.host} body=${body}`);
    });
  });
  echo = net.createServer((s) => s.pipe(s));
  httpPort = await listen(upstream);
  echoPort = await listen(echo);
});

afterAll(async () => {
  await new Promise((r) => upstream.close(r));
  await new Promise((r) => echo.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
async function withProxy(
  options: Omit<EgressProxyOptions, "socketPath">,
  fn: (sock: string) => Promise<void>,
) {
  const socketPath = path.join(dir, `p${counter++}.sock`);
  const proxy = await startEgressProxy({ socketPath, ...options });
  try {
    await fn(socketPath);
  } finally {
    await proxy.close();
  }
}

/** Sends raw bytes to the proxy, returns everything it answers until it closes (or until `until` matches). */
function raw(socketPath: string, data: string, until?: RegExp) {
  return new Promise<string>((resolve, reject) => {
    const s = net.connect(socketPath);
    let out = "";
    s.on("data", (c) => {
      out += c;
      if (until?.test(out)) {
        s.destroy();
        resolve(out);
      }
    });
    s.on("close", () => resolve(out));
    s.on("error", reject);
    s.write(data);
  });
}

/** CONNECT through the proxy; on 200, sends "ping" through the tunnel and returns the echoed text. */
function connect(socketPath: string, target: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ socketPath, method: "CONNECT", path: target, headers: { host: target } });
    req.on("connect", (res, socket, head) => {
      let body = head.toString();
      socket.on("data", (c) => {
        body += c;
        if (res.statusCode === 200 && body === "ping") socket.end();
      });
      socket.on("close", () => resolve({ status: res.statusCode ?? 0, body }));
      if (res.statusCode === 200) socket.write("ping");
    });
    req.on("error", reject);
    req.end();
  });
}

function get(socketPath: string, url: string, init: { method?: string; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        socketPath,
        method: init.method ?? "GET",
        path: url,
        headers: {
          "proxy-authorization": "Basic c2VjcmV0",
          "proxy-connection": "keep-alive",
          "x-kept": "yes",
        },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

const toLoopback = async () => ["127.0.0.1"];

describe("refusals with the built-in address check", () => {
  const targets = ["127.0.0.1", "localhost", "[::1]", "0.0.0.0", "169.254.169.254", "loopback.test", "127.1"];
  // In open mode every name resolves through an injected resolver to loopback; in allowlist mode the real
  // resolver answers for localhost (from /etc/hosts) and the address check must still refuse it.
  const resolve = async (host: string) => (host === "loopback.test" ? ["127.0.0.1"] : ["127.0.0.1", "::1"]);
  for (const network of ["allowlist", "open"] as const) {
    it(`refuses loopback, unspecified and metadata targets in ${network} mode`, async () => {
      const policy = {
        network,
        allowedHosts: ["localhost", "loopback.test", "127.0.0.1", "169.254.169.254"],
      };
      await withProxy({ policy, resolve: network === "open" ? resolve : undefined }, async (sock) => {
        for (const host of targets) {
          if (host === "loopback.test" && network === "allowlist") continue; // covered below with a resolver
          const tunnel = await connect(sock, `${host}:443`);
          expect(tunnel.status, host).toBe(403);
          expect(tunnel.body).toMatch(/^Foreman's network policy for this repository does not allow /);
          expect(tunnel.body).toContain("An admin can change it in the repository's settings.");
          const plain = await get(sock, `http://${host}:${network === "open" ? httpPort : 80}/`);
          expect(plain.status, host).toBe(403);
          expect(plain.body).toContain("does not allow");
        }
      });
      expect(seen).toEqual([]);
    });
  }

  it("refuses an allowlisted name that resolves to loopback, saying where it resolves", async () => {
    const policy = { network: "allowlist" as const, allowedHosts: ["loopback.test"] };
    await withProxy({ policy, resolve: toLoopback }, async (sock) => {
      const res = await get(sock, "http://loopback.test/");
      expect(res.status).toBe(403);
      expect(res.body).toContain(
        "does not allow loopback.test: it resolves to 127.0.0.1, a loopback address of this machine",
      );
      expect((await connect(sock, "loopback.test:443")).status).toBe(403);
    });
  });
});

describe("the allowed path (injected resolver and address check)", () => {
  const policy = { network: "allowlist" as const, allowedHosts: ["allowed.test", "*.example.test"] };
  const base = () => ({
    policy,
    resolve: toLoopback,
    isForbiddenAddress: () => false,
    allowedPorts: [httpPort, echoPort],
  });

  it("tunnels CONNECT to an allowlisted host and forwards an absolute-URI GET", async () => {
    const decisions: EgressDecision[] = [];
    await withProxy({ ...base(), onDecision: (d) => decisions.push(d) }, async (sock) => {
      expect(await connect(sock, `allowed.test:${echoPort}`)).toEqual({ status: 200, body: "ping" });
      const res = await get(sock, `http://Allowed.Test:${httpPort}/hello?x=1`);
      expect(res).toEqual({
        status: 200,
        body: `upstream saw GET /hello?x=1 host=allowed.test:${httpPort} body=`,
      });
      const last = seen.at(-1);
      expect(last?.headers["x-kept"]).toBe("yes");
      expect(last?.headers["proxy-authorization"]).toBeUndefined();
      expect(last?.headers["proxy-connection"]).toBeUndefined();
      const posted = await get(sock, `http://allowed.test:${httpPort}/p`, { method: "POST", body: "data" });
      expect(posted.body).toContain("upstream saw POST /p");
      expect(posted.body).toContain("body=data");
    });
    expect(decisions[0]).toEqual({ host: "allowed.test", port: echoPort, allowed: true });
  });

  it("refuses hosts off the list, the bare suffix of a wildcard, and unlisted ports", async () => {
    const decisions: EgressDecision[] = [];
    await withProxy({ ...base(), onDecision: (d) => decisions.push(d) }, async (sock) => {
      const other = await connect(sock, `other.test:${echoPort}`);
      expect(other.status).toBe(403);
      expect(other.body).toBe(
        "Foreman's network policy for this repository does not allow other.test (allowlist: allowed.test, " +
          "*.example.test). An admin can change it in the repository's settings.\n",
      );
      expect(await connect(sock, `a.example.test:${echoPort}`)).toEqual({ status: 200, body: "ping" });
      expect((await connect(sock, `example.test:${echoPort}`)).status).toBe(403);
      expect((await get(sock, `http://example.test:${httpPort}/`)).status).toBe(403);
      expect((await get(sock, `http://b.example.test:${httpPort}/`)).status).toBe(200);
      const port = await connect(sock, "allowed.test:5432");
      expect(port.status).toBe(403);
      expect(port.body).toContain(
        `does not allow allowed.test on port 5432 (ports: ${httpPort}, ${echoPort})`,
      );
    });
    expect(decisions.find((d) => d.host === "other.test")).toMatchObject({ allowed: false });
  });

  it("lets open mode through to any name (and any port)", async () => {
    await withProxy({ ...base(), policy: { network: "open", allowedHosts: [] } }, async (sock) => {
      expect(await connect(sock, `anything.example:${echoPort}`)).toEqual({ status: 200, body: "ping" });
      expect((await get(sock, `http://whatever.test:${httpPort}/`)).status).toBe(200);
    });
  });

  it("ends the tunnel when the upstream closes, after passing on what it sent", async () => {
    const closer = net.createServer((s) => s.end("bye"));
    const closerPort = await listen(closer);
    await withProxy({ ...base(), allowedPorts: [closerPort] }, async (sock) => {
      const res = await raw(sock, `CONNECT allowed.test:${closerPort} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(res).toBe("HTTP/1.1 200 Connection Established\r\n\r\nbye");
    });
    await new Promise((r) => closer.close(r));
  });

  it("answers 502 for an unresolvable host or an upstream that refuses the connection", async () => {
    const resolve = async (host: string) => {
      if (host === "allowed.test") return ["127.0.0.1"];
      throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    };
    const closed = net.createServer();
    const closedPort = await listen(closed);
    await new Promise((r) => closed.close(r));
    await withProxy({ ...base(), resolve, allowedPorts: [closedPort] }, async (sock) => {
      const missing = await connect(sock, `a.example.test:${closedPort}`);
      expect(missing).toEqual({
        status: 502,
        body: "Foreman's egress proxy could not resolve a.example.test (ENOTFOUND).\n",
      });
      const refused = await get(sock, `http://allowed.test:${closedPort}/`);
      expect(refused.status).toBe(502);
      expect(refused.body).toContain("ECONNREFUSED");
      expect((await connect(sock, `allowed.test:${closedPort}`)).status).toBe(502);
    });
    const never = () => new Promise<string[]>(() => {});
    await withProxy({ ...base(), resolve: never, timeoutMs: 100 }, async (sock) => {
      const slow = await get(sock, `http://allowed.test:${httpPort}/`);
      expect(slow).toEqual({
        status: 502,
        body: "Foreman's egress proxy could not resolve allowed.test (timed out).\n",
      });
    });
  });
});

describe("robustness and lifecycle", () => {
  const policy = { network: "allowlist" as const, allowedHosts: ["allowed.test"] };

  it("survives malformed requests and keeps serving", async () => {
    const opts = { policy, resolve: toLoopback, isForbiddenAddress: () => false, allowedPorts: [httpPort] };
    await withProxy(opts, async (sock) => {
      expect(await raw(sock, "GARBAGE\r\n\r\n")).toMatch(/^HTTP\/1.1 400/);
      expect(await raw(sock, "CONNECT nonsense HTTP/1.1\r\n\r\n")).toMatch(/^HTTP\/1.1 400/);
      expect(await raw(sock, "CONNECT allowed.test:99999 HTTP/1.1\r\n\r\n")).toMatch(/^HTTP\/1.1 403/);
      expect(await raw(sock, "GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", /\n\n$/)).toMatch(/^HTTP\/1.1 400/);
      expect(await raw(sock, "GET https://allowed.test/ HTTP/1.1\r\nHost: x\r\n\r\n", /\n\n$/)).toMatch(
        /400/,
      );
      expect((await get(sock, `http://allowed.test:${httpPort}/after`)).status).toBe(200);
    });
  });

  it("listens owner-only, replaces a crashed proxy's socket file, and close() removes the socket", async () => {
    const socketPath = path.join(dir, "stale.sock");
    const crashed = spawn(process.execPath, [
      "-e",
      `require("net").createServer().listen(${JSON.stringify(socketPath)}, () => console.log("up"))`,
    ]);
    await new Promise((r) => crashed.stdout.once("data", r));
    crashed.kill("SIGKILL");
    await new Promise((r) => crashed.once("exit", r));
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
    const proxy = await startEgressProxy({ socketPath, policy });
    expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
    await proxy.close();
    expect(fs.existsSync(socketPath)).toBe(false);
    fs.writeFileSync(socketPath, "not a socket");
    await expect(startEgressProxy({ socketPath, policy })).rejects.toThrow(/not a socket/);
  });
});

const haveTools = ["/usr/bin/bwrap", "/usr/bin/socat", "/usr/bin/curl"].every((f) => fs.existsSync(f));

describe.skipIf(!haveTools)("inside bwrap", () => {
  it("reaches an allowed host through the bridge, while the host's loopback stays unreachable", async () => {
    const socketDir = fs.mkdtempSync(path.join(dir, "run-"));
    const socketPath = path.join(socketDir, "proxy.sock");
    const proxy = await startEgressProxy({
      socketPath,
      policy: { network: "allowlist", allowedHosts: ["allowed.test"] },
      resolve: toLoopback,
      // The upstream is on the host's loopback, which the real check refuses; the direct request below is
      // what shows the sandbox itself cannot reach the host's loopback.
      isForbiddenAddress: () => false,
      allowedPorts: [httpPort],
    });
    const before = seen.length;
    const script = `${proxyBridgeScript("/run/foreman/proxy.sock")}
curl -sS http://allowed.test:${httpPort}/from-sandbox; echo
curl -sS -o /dev/null -w 'other=%{http_code}\\n' http://other.test:${httpPort}/
curl -sS --noproxy '*' --max-time 2 http://127.0.0.1:${httpPort}/direct && echo DIRECT-OK || echo DIRECT-FAILED
echo "proxy=$https_proxy no_proxy=\${NO_PROXY-unset}"`;
    try {
      // Asynchronously: the proxy runs in this very process and must keep answering while bwrap runs.
      const { stdout: out } = await promisify(execFile)(
        "bwrap",
        // biome-ignore format: one bwrap option per line would hide the command's shape
        ["--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
          "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev",
          "--tmpfs", "/tmp", "--bind", socketDir, "/run/foreman", "--", "/bin/bash", "-c", script],
        { encoding: "utf8", timeout: 20_000, env: { NODE_ENV: "test", PATH: "/usr/bin", NO_PROXY: "*" } },
      );
      expect(out).toContain(`upstream saw GET /from-sandbox host=allowed.test:${httpPort}`);
      expect(out).toContain("other=403");
      expect(out).toContain("DIRECT-FAILED");
      expect(out).not.toContain("DIRECT-OK");
      expect(out).toContain("proxy=http://127.0.0.1:3128 no_proxy=unset");
      expect(seen.slice(before).map((s) => s.url)).toEqual(["/from-sandbox"]);
    } finally {
      await proxy.close();
    }
  });
});
