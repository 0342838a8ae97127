// The pure rules of the egress proxy: which host names a repository's policy lets through, which ports,
// and which IP addresses a sandbox may never reach whatever the policy says. Kept apart from the server so
// every rule can be tested without sockets, and so the settings page can reuse them to explain a policy.
import net from "node:net";
import os from "node:os";

export type EgressMode = "allowlist" | "open";
export type EgressPolicy = { network: EgressMode; allowedHosts: string[] };

/**
 * Ports an allowlist policy lets through unless the proxy is told otherwise: HTTPS (registries, git over
 * https), HTTP (mirrors that still serve it) and SSH (git over ssh, through a CONNECT-capable ProxyCommand).
 * An allowlist names trusted hosts, not trusted services: an internal registry's database port stays shut.
 * Open mode allows any port, because the forbidden-address check, not the port, is what guards the host.
 */
export const DEFAULT_ALLOWLIST_PORTS: readonly number[] = [443, 80, 22];

/** Lower case, no brackets around an IPv6 literal, no trailing dot: the form every comparison uses. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  while (h.endsWith(".")) h = h.slice(0, -1);
  return h;
}

/**
 * Whether the policy lets a host name through, before any DNS. `*.suffix` admits subdomains only, so
 * `*.npmjs.org` does not admit `npmjs.org` unless it is listed too. IP literals are never admitted here;
 * whether an address may be reached is `isForbiddenAddress`'s question.
 */
export function hostAllowed(host: string, policy: EgressPolicy): boolean {
  const h = normalizeHost(host);
  if (!h || net.isIP(h) !== 0) return false;
  if (policy.network === "open") return true;
  return policy.allowedHosts.some((entry) => {
    const e = normalizeHost(entry);
    if (e.startsWith("*.")) {
      const suffix = e.slice(1); // ".example.com"
      return suffix.length > 1 && h.endsWith(suffix) && h.length > suffix.length;
    }
    return e !== "" && e === h;
  });
}

export function portAllowed(
  port: number,
  mode: EgressMode,
  allowlistPorts = DEFAULT_ALLOWLIST_PORTS,
): boolean {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return false;
  return mode === "open" || allowlistPorts.includes(port);
}

export type AddressKind =
  | "invalid"
  | "unspecified"
  | "loopback"
  | "link-local"
  | "multicast"
  | "reserved"
  | "own"
  | "private"
  | "public";

function ipv4Number(ip: string): number | null {
  if (net.isIPv4(ip) === false) return null;
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function inV4(n: number, base: string, bits: number): boolean {
  const b = ipv4Number(base) ?? 0;
  const size = 2 ** (32 - bits);
  return Math.floor(n / size) === Math.floor(b / size);
}

/** Eight 16-bit groups of a valid IPv6 address (zone id dropped, a dotted IPv4 tail folded in). */
function ipv6Groups(ip: string): number[] | null {
  let s = ip.split("%")[0] ?? "";
  if (!net.isIPv6(s)) return null;
  const lastColon = s.lastIndexOf(":");
  const tail = s.slice(lastColon + 1);
  if (tail.includes(".")) {
    const n = ipv4Number(tail) ?? 0;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head = "", rest] = s.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

/** One spelling per address, so an interface's address matches however a resolver wrote it. */
function canonical(ip: string): string {
  const g = ipv6Groups(ip);
  return g ? g.map((x) => x.toString(16)).join(":") : ip;
}

function ownAddressSet(own?: readonly string[]): Set<string> {
  const list =
    own ??
    Object.values(os.networkInterfaces())
      .flat()
      .map((i) => i?.address ?? "");
  return new Set(list.filter(Boolean).map(canonical));
}

function classifyV4(n: number, dotted: string, own: Set<string>): AddressKind {
  if (inV4(n, "0.0.0.0", 8)) return "unspecified";
  if (inV4(n, "127.0.0.0", 8)) return "loopback";
  if (inV4(n, "169.254.0.0", 16)) return "link-local"; // includes the cloud metadata service
  if (inV4(n, "224.0.0.0", 4)) return "multicast";
  if (inV4(n, "240.0.0.0", 4)) return "reserved"; // includes broadcast
  if (own.has(dotted)) return "own";
  const privateRanges: [string, number][] = [
    ["10.0.0.0", 8],
    ["172.16.0.0", 12],
    ["192.168.0.0", 16],
    ["100.64.0.0", 10],
  ];
  return privateRanges.some(([base, bits]) => inV4(n, base, bits)) ? "private" : "public";
}

function v4FromGroups(hi: number, lo: number, own: Set<string>): AddressKind {
  const n = hi * 65536 + lo;
  const dotted = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
  return classifyV4(n, dotted, own);
}

/** What kind of address this is, for the decision and for a message a developer can act on. */
export function classifyAddress(ip: string, options: { ownAddresses?: readonly string[] } = {}): AddressKind {
  const own = ownAddressSet(options.ownAddresses);
  const n = ipv4Number(ip);
  if (n !== null) return classifyV4(n, ip, own);
  const g = ipv6Groups(ip);
  if (!g) return "invalid";
  const [g0 = 0, g1 = 0, g2 = 0, , , g5 = 0, g6 = 0, g7 = 0] = g;
  const zerosUpTo = (k: number) => g.slice(0, k).every((x) => x === 0);
  if (zerosUpTo(8)) return "unspecified";
  if (zerosUpTo(7) && g7 === 1) return "loopback";
  // Addresses that carry an IPv4 address inside are judged by that address: IPv4-mapped (::ffff:127.0.0.1),
  // IPv4-compatible (::127.0.0.1), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) all reach it in the end.
  if (zerosUpTo(5) && g5 === 0xffff) return v4FromGroups(g6, g7, own);
  if (zerosUpTo(6)) return v4FromGroups(g6, g7, own);
  if (g0 === 0x64 && g1 === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4FromGroups(g6, g7, own);
  if (g0 === 0x2002) return v4FromGroups(g1, g2, own);
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (own.has(canonical(ip))) return "own";
  if ((g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfec0) return "private"; // unique-local, old site-local
  return "public";
}

const KIND_PHRASES: Record<AddressKind, string> = {
  invalid: "which is not a valid address",
  unspecified: "an unspecified address",
  loopback: "a loopback address of this machine",
  "link-local": "a link-local address (the cloud metadata service lives there)",
  multicast: "a multicast address",
  reserved: "a reserved address",
  own: "one of this machine's own addresses",
  private: "a private-network address",
  public: "a public address",
};

/** For refusal messages: "…it resolves to 127.0.0.1, a loopback address of this machine". */
export function describeAddressKind(kind: AddressKind): string {
  return KIND_PHRASES[kind];
}

/** The policy in a few words, for refusal messages; long allowlists are cut short. */
export function describePolicy(policy: EgressPolicy): string {
  if (policy.network === "open") return "open: public hosts only";
  const hosts = policy.allowedHosts;
  if (hosts.length === 0) return "allowlist: empty";
  const shown = hosts.slice(0, 10).join(", ");
  return `allowlist: ${shown}${hosts.length > 10 ? `, and ${hosts.length - 10} more` : ""}`;
}

/**
 * Whether a sandbox must never reach this address. Loopback, unspecified, link-local, multicast, reserved
 * and the host's own addresses are forbidden in every mode: they are where Foreman's web port, its database
 * and the model endpoint listen. Private ranges are forbidden in open mode only: an allowlist that names an
 * internal registry on 10.x means it, while "any public host" does not mean the office network.
 */
export function isForbiddenAddress(
  ip: string,
  options: { mode: EgressMode; ownAddresses?: readonly string[] },
): boolean {
  const kind = classifyAddress(ip, options);
  if (kind === "public") return false;
  return !(kind === "private" && options.mode === "allowlist");
}
