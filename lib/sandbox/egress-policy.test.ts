import { describe, expect, it } from "vitest";
import {
  classifyAddress,
  hostAllowed,
  isForbiddenAddress,
  normalizeHost,
  portAllowed,
} from "./egress-policy";

const allowlist = (...allowedHosts: string[]) => ({ network: "allowlist" as const, allowedHosts });

describe("hostAllowed", () => {
  it("matches listed hosts exactly, ignoring case and a trailing dot", () => {
    const policy = allowlist("registry.npmjs.org", "GitHub.com.");
    expect(hostAllowed("registry.npmjs.org", policy)).toBe(true);
    expect(hostAllowed("REGISTRY.npmjs.org.", policy)).toBe(true);
    expect(hostAllowed("github.com", policy)).toBe(true);
    expect(hostAllowed("api.github.com", policy)).toBe(false);
    expect(hostAllowed("npmjs.org", policy)).toBe(false);
    expect(hostAllowed("registry.npmjs.org.evil.com", policy)).toBe(false);
    expect(hostAllowed("evilregistry.npmjs.org", policy)).toBe(false);
  });

  it("lets *.suffix admit subdomains but not the suffix itself unless it is listed too", () => {
    const policy = allowlist("*.example.test");
    expect(hostAllowed("a.example.test", policy)).toBe(true);
    expect(hostAllowed("a.b.Example.Test.", policy)).toBe(true);
    expect(hostAllowed("example.test", policy)).toBe(false);
    expect(hostAllowed("badexample.test", policy)).toBe(false);
    expect(hostAllowed("example.test.evil", policy)).toBe(false);
    expect(hostAllowed("example.test", allowlist("*.example.test", "example.test"))).toBe(true);
  });

  it("never admits an IP literal, an empty host, or anything through an empty or degenerate list", () => {
    expect(hostAllowed("10.0.0.5", allowlist("10.0.0.5"))).toBe(false);
    expect(hostAllowed("[::1]", allowlist("::1"))).toBe(false);
    expect(hostAllowed("127.0.0.1", { network: "open", allowedHosts: [] })).toBe(false);
    expect(hostAllowed("", allowlist(""))).toBe(false);
    expect(hostAllowed("anything.test", allowlist())).toBe(false);
    expect(hostAllowed("anything.test", allowlist("*.", "*", ""))).toBe(false);
  });

  it("admits any host name in open mode", () => {
    expect(hostAllowed("whatever.example", { network: "open", allowedHosts: [] })).toBe(true);
  });

  it("normalizes brackets, case and trailing dots", () => {
    expect(normalizeHost("[::1]")).toBe("::1");
    expect(normalizeHost(" Example.COM.. ")).toBe("example.com");
  });
});

describe("portAllowed", () => {
  it("admits https, http and ssh in allowlist mode, any valid port in open mode", () => {
    for (const port of [443, 80, 22]) expect(portAllowed(port, "allowlist")).toBe(true);
    for (const port of [25, 5432, 3000, 6379]) expect(portAllowed(port, "allowlist")).toBe(false);
    expect(portAllowed(8443, "allowlist", [8443])).toBe(true);
    expect(portAllowed(5432, "open")).toBe(true);
    for (const port of [0, 65536, -1, 1.5, Number.NaN]) expect(portAllowed(port, "open")).toBe(false);
  });
});

describe("isForbiddenAddress", () => {
  const own = ["10.1.2.3", "fd00::1234", "192.168.7.7"];
  const both = (ip: string) => [
    isForbiddenAddress(ip, { mode: "allowlist", ownAddresses: own }),
    isForbiddenAddress(ip, { mode: "open", ownAddresses: own }),
  ];

  it("forbids loopback, unspecified, link-local, metadata, multicast and reserved in every mode", () => {
    const never = [
      "127.0.0.1",
      "127.255.0.9",
      "0.0.0.0",
      "0.1.2.3",
      "169.254.169.254",
      "169.254.0.1",
      "224.0.0.1",
      "239.255.255.250",
      "255.255.255.255",
      "240.0.0.1",
      "::1",
      "::",
      "0:0:0:0:0:0:0:1",
      "fe80::1",
      "fe80::1%eth0",
      "febf::1",
      "ff02::1",
    ];
    for (const ip of never) expect(both(ip), ip).toEqual([true, true]);
  });

  it("sees through addresses that embed an IPv4 address", () => {
    const embedded = [
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::FFFF:169.254.169.254",
      "::127.0.0.1",
      "64:ff9b::127.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "2002:7f00:1::",
      "::ffff:0.0.0.0",
    ];
    for (const ip of embedded) expect(both(ip), ip).toEqual([true, true]);
    expect(both("::ffff:10.0.0.1")).toEqual([false, true]);
    expect(both("::ffff:93.184.216.34")).toEqual([false, false]);
  });

  it("forbids the host's own addresses in every mode, even private ones an allowlist may reach", () => {
    for (const ip of ["10.1.2.3", "::ffff:10.1.2.3", "fd00::1234", "fd00:0:0:0:0:0:0:1234", "192.168.7.7"]) {
      expect(both(ip), ip).toEqual([true, true]);
    }
  });

  it("reads the host's own addresses from its interfaces by default", () => {
    expect(isForbiddenAddress("127.0.0.1", { mode: "allowlist" })).toBe(true);
    expect(classifyAddress("::1")).toBe("loopback");
  });

  it("allows private ranges in allowlist mode only", () => {
    const privateIps = [
      "10.0.0.1",
      "10.255.255.255",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "100.64.0.1",
      "100.127.255.255",
      "fc00::1",
      "fd12:3456::1",
    ];
    for (const ip of privateIps) expect(both(ip), ip).toEqual([false, true]);
  });

  it("allows public addresses, including ones next to the private ranges", () => {
    const publicIps = [
      "93.184.216.34",
      "8.8.8.8",
      "172.15.255.255",
      "172.32.0.0",
      "100.63.255.255",
      "100.128.0.0",
      "11.0.0.1",
      "169.253.255.255",
      "2606:4700::1111",
      "2001:db8::1",
    ];
    for (const ip of publicIps) expect(both(ip), ip).toEqual([false, false]);
  });

  it("fails closed on anything that is not an IP address", () => {
    for (const junk of ["", "localhost", "example.com", "127.1", "1.2.3.4.5", "::g"]) {
      expect(both(junk), junk).toEqual([true, true]);
    }
  });
});
