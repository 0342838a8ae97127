// Foreman's egress proxy. A sandbox with an "allowlist" or "open" network policy still has no network of
// its own (bwrap --unshare-net); its only way out is this HTTP proxy, listening on a Unix socket that is
// bind-mounted into the sandbox and bridged to 127.0.0.1:3128 there by socat (proxy-bridge.ts).
//
// - CONNECT host:port (HTTPS, git over https or ssh, npm) is tunnelled; plain HTTP with an absolute URI
//   (GET http://host/path) is forwarded with hop-by-hop and proxy headers stripped. Nothing else is served.
// - The host name is checked against the policy, then resolved ONCE here, and the connection goes to the
//   resolved address: a second lookup by anyone could be answered differently (DNS rebinding). If any
//   resolved address is forbidden (loopback, link-local, the host's own addresses; private ranges in open
//   mode) the request is refused, so a name pointing at 127.0.0.1 cannot reach Foreman's own services.
// - IP literals are refused unless the policy is open and the address is public: an allowlist names hosts.
// - Ports: an allowlist admits 443, 80 and 22 (or `allowedPorts`); open mode admits any port, since the
//   address check is what protects the host. See egress-policy.ts for the rules themselves.
// - The socket is owner-only (0o600), not 0o666: bwrap's user namespace maps the sandbox's uid back to the
//   uid that started it, so a sandbox started by the proxy's uid can connect (checked as an unprivileged
//   user: same uid connects, another uid gets EACCES), and other local users cannot borrow the proxy.
//   The sandbox runner must therefore start bwrap as the same uid as the proxy.

import dns from "node:dns/promises";
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import {
  classifyAddress,
  DEFAULT_ALLOWLIST_PORTS,
  describeAddressKind,
  describePolicy,
  type EgressPolicy,
  hostAllowed,
  isForbiddenAddress,
  normalizeHost,
  portAllowed,
} from "./egress-policy";
import { connectTo, endToEndHeaders, plainResponse, rawResponse, removeStaleSocket } from "./proxy-io";

export { hostAllowed, isForbiddenAddress } from "./egress-policy";

export type EgressDecision = { host: string; port: number; allowed: boolean; reason?: string };

export type EgressProxyOptions = {
  socketPath: string;
  policy: EgressPolicy;
  /** Ports an allowlist policy admits; defaults to DEFAULT_ALLOWLIST_PORTS. Ignored in open mode. */
  allowedPorts?: readonly number[];
  /** For tests only: this machine has no DNS, and the real check (rightly) refuses every local upstream. */
  resolve?: (host: string) => Promise<string[]>;
  isForbiddenAddress?: (ip: string) => boolean;
  onDecision?: (d: EgressDecision) => void;
  /** Budget for the DNS lookup, and again for connecting; 10 s unless a test needs to see it run out. */
  timeoutMs?: number;
};

export type EgressProxy = { socketPath: string; close(): Promise<void> };

const DEFAULT_TIMEOUT_MS = 10_000;

type Refusal = { status: number; message: string; reason: string };
type Verdict = { ok: true; addresses: string[] } | ({ ok: false } & Refusal);

async function systemResolve(host: string): Promise<string[]> {
  const results = await dns.lookup(host, { all: true, verbatim: true });
  return results.map((r) => r.address);
}

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const { socketPath, policy } = options;
  const mode = policy.network;
  const resolve = options.resolve ?? systemResolve;
  const forbidden = options.isForbiddenAddress ?? ((ip: string) => isForbiddenAddress(ip, { mode }));
  const allowlistPorts = options.allowedPorts ?? DEFAULT_ALLOWLIST_PORTS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  };

  const refuse = (host: string, why: string, reason: string): Refusal => ({
    status: 403,
    reason,
    message:
      `Foreman's network policy for this repository does not allow ${host}${why} (${describePolicy(policy)}). ` +
      "An admin can change it in the repository's settings.",
  });

  async function decide(rawHost: string, port: number): Promise<Verdict> {
    const host = normalizeHost(rawHost);
    if (!host) return { ok: false, status: 400, reason: "no host", message: "The request names no host." };
    if (!portAllowed(port, mode, allowlistPorts)) {
      return { ok: false, ...refuse(host, ` on port ${port} (ports: ${allowlistPorts.join(", ")})`, "port") };
    }
    if (net.isIP(host) !== 0) {
      if (mode === "open" && !forbidden(host)) return { ok: true, addresses: [host] };
      const kind = classifyAddress(host);
      const why = mode === "open" ? `, ${describeAddressKind(kind)}` : "; use a host name, not an IP address";
      return { ok: false, ...refuse(host, why, `ip literal (${kind})`) };
    }
    if (!hostAllowed(host, policy)) return { ok: false, ...refuse(host, "", "not in allowlist") };
    let addresses: string[];
    try {
      // getaddrinfo can hang for its resolver's full retry schedule; the agent's tool should hear sooner.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error("timeout"), { code: "timed out" })),
          timeoutMs,
        );
      });
      addresses = await Promise.race([resolve(host), timeout]).finally(() => clearTimeout(timer));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return {
        ok: false,
        status: 502,
        reason: `dns ${code}`,
        message: `Foreman's egress proxy could not resolve ${host} (${code}).`,
      };
    }
    if (addresses.length === 0) {
      return { ok: false, status: 502, reason: "dns empty", message: `${host} has no addresses.` };
    }
    const bad = addresses.find((a) => forbidden(a));
    if (bad) {
      const why = `: it resolves to ${bad}, ${describeAddressKind(classifyAddress(bad))}`;
      return { ok: false, ...refuse(host, why, `resolves to forbidden ${bad}`) };
    }
    return { ok: true, addresses };
  }

  function report(host: string, port: number, verdict: Verdict) {
    options.onDecision?.({
      host: normalizeHost(host),
      port,
      allowed: verdict.ok,
      ...(verdict.ok ? {} : { reason: verdict.reason }),
    });
  }

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse) {
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      plainResponse(res, 400, "This is Foreman's egress proxy: send absolute-URI requests or CONNECT.");
      return;
    }
    if (url.protocol !== "http:") {
      plainResponse(
        res,
        400,
        `Foreman's egress proxy forwards http:// URLs only; use CONNECT for ${url.protocol}`,
      );
      return;
    }
    const port = url.port ? Number(url.port) : 80;
    const verdict = await decide(url.hostname, port);
    report(url.hostname, port, verdict);
    if (!verdict.ok) return plainResponse(res, verdict.status, verdict.message);
    let upstream: net.Socket;
    try {
      upstream = await connectTo(verdict.addresses, port, timeoutMs, track);
    } catch (error) {
      return plainResponse(res, 502, `Could not connect to ${url.host}: ${(error as Error).message}`);
    }
    if (req.socket.destroyed) return void upstream.destroy(); // the client gave up while we connected
    const headers = endToEndHeaders(req.headers);
    headers.host = url.host;
    const forward = http.request({
      createConnection: () => upstream,
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
      // No agent: with one, Node would ignore createConnection and look the name up again itself.
    });
    forward.on("response", (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, endToEndHeaders(upRes.headers));
      upRes.pipe(res);
      upRes.on("error", () => res.destroy());
    });
    forward.on("error", (error) => plainResponse(res, 502, `Upstream ${url.host} failed: ${error.message}`));
    res.on("close", () => upstream.destroy());
    req.pipe(forward);
  }

  async function handleConnect(req: http.IncomingMessage, client: net.Socket, head: Buffer) {
    track(client);
    client.on("error", () => client.destroy());
    const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+):(\d{1,5})$/.exec(req.url ?? "");
    let host = "";
    try {
      // WHATWG URL parsing normalises IPv4 spellings (127.1, 0x7f000001) and IDNs before the policy sees them.
      host = match ? new URL(`http://${match[1]}/`).hostname : "";
    } catch {}
    if (!match || !host) {
      rawResponse(client, 400, "CONNECT needs host:port, for example registry.npmjs.org:443.");
      return;
    }
    const port = Number(match[2]);
    const verdict = await decide(host, port);
    report(host, port, verdict);
    if (!verdict.ok) return rawResponse(client, verdict.status, verdict.message);
    let upstream: net.Socket;
    try {
      upstream = await connectTo(verdict.addresses, port, timeoutMs, track);
    } catch (error) {
      return rawResponse(client, 502, `Could not connect to ${host}:${port}: ${(error as Error).message}`);
    }
    if (client.destroyed) return void upstream.destroy();
    // Either side's end, error or close ends the tunnel: a half-open tunnel would hang the agent's command.
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", closeBoth).on("close", closeBoth);
    client.on("error", closeBoth).on("close", closeBoth);
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  }

  // The handlers are async; an unexpected throw in one (say, from onDecision) must end that connection
  // only, not surface as an unhandled rejection that would take Foreman down.
  const server = http.createServer((req, res) => void handleRequest(req, res).catch(() => res.destroy()));
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    void handleConnect(req, client, head).catch(() => client.destroy());
  });

  server.on("connection", track);
  // A malformed request from inside the sandbox must cost that connection, never the proxy.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  await removeStaleSocket(socketPath);
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  await fs.chmod(socketPath, 0o600);
  server.on("error", () => {}); // later server errors (e.g. EMFILE on accept) must not crash Foreman

  return {
    socketPath,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => {
          fs.rm(socketPath, { force: true }).then(
            () => resolveClose(),
            () => resolveClose(),
          );
        });
        for (const s of sockets) s.destroy();
      }),
  };
}
