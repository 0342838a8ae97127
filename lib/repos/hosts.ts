// The hosts an "allowlist" network policy lets a sandbox reach through Foreman's egress proxy: DNS names,
// or "*.suffix" for every subdomain of a suffix. Never an IP address (name the host instead), a scheme,
// a path or a port, and never a loopback name: those are unreachable from the sandbox whatever the list says.
import { z } from "zod";

export const MAX_ALLOWED_HOSTS = 50;
const MAX_HOST_LENGTH = 253;
const FIELD = "Allowed hosts";
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Why `host` (trimmed, lower-case) can't be on the list, or null when it can. */
export function hostProblem(host: string): string | null {
  const shown = `'${host}'`;
  if (host.length > MAX_HOST_LENGTH)
    return `${FIELD}: ${shown} is longer than ${MAX_HOST_LENGTH} characters.`;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)/.exec(host);
  if (scheme) {
    return `${FIELD}: enter host names without a scheme — ${scheme[1] ? `'${scheme[1]}'` : "the host alone"}, not ${shown}.`;
  }
  if (host.startsWith("[") || (host.match(/:/g)?.length ?? 0) > 1 || IPV4.test(host.split(":")[0] ?? "")) {
    return `${FIELD}: ${shown} is an IP address. Name the host instead (e.g. registry.npmjs.org).`;
  }
  if (host.includes("/")) return `${FIELD}: enter host names without a path, not ${shown}.`;
  if (host.includes(":")) return `${FIELD}: enter host names without a port, not ${shown}.`;
  const wildcard = host.startsWith("*.");
  const name = wildcard ? host.slice(2) : host;
  if (name.includes("*")) {
    return `${FIELD}: a wildcard only works at the start, as in *.example.com, not ${shown}.`;
  }
  const labels = name.split(".");
  if (!labels.every((label) => LABEL.test(label))) {
    return `${FIELD}: ${shown} isn't a valid host name. Use letters, digits, hyphens and dots, e.g. registry.npmjs.org.`;
  }
  if (labels.every((label) => /^\d+$/.test(label)) || /^\d+$/.test(labels.at(-1) ?? "")) {
    return `${FIELD}: ${shown} is an IP address. Name the host instead (e.g. registry.npmjs.org).`;
  }
  if (labels.at(-1) === "localhost") {
    return `${FIELD}: ${shown} is this machine, which a sandbox can never reach.`;
  }
  if (wildcard && labels.length < 2) {
    return `${FIELD}: ${shown} would allow a whole top-level domain. Name a domain, e.g. *.example.com.`;
  }
  return null;
}

/** Trimmed, lower-case, without a trailing dot; duplicates dropped; sorted. */
export function normalizeHosts(hosts: string[]): string[] {
  const kept = hosts.map((host) => host.trim().toLowerCase().replace(/\.$/, "")).filter(Boolean);
  return [...new Set(kept)].sort();
}

/**
 * From the form, a textarea with one host a line (commas and spaces also separate); from the API, an array
 * of strings; null is an empty list. Each problem names the field and the host.
 */
export const allowedHostsSchema = z
  .union([z.string(), z.array(z.string())], {
    error: `${FIELD} must be a list of host names, e.g. ["registry.npmjs.org"].`,
  })
  .nullable()
  .transform((value, ctx) => {
    const raw = value === null ? [] : Array.isArray(value) ? value : value.split(/[\s,]+/);
    const hosts = normalizeHosts(raw);
    if (hosts.length > MAX_ALLOWED_HOSTS) {
      ctx.addIssue({
        code: "custom",
        message: `${FIELD}: at most ${MAX_ALLOWED_HOSTS} hosts (${hosts.length} given). Use *.example.com for many subdomains.`,
      });
      return z.NEVER;
    }
    for (const host of hosts) {
      const problem = hostProblem(host);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
    }
    return hosts;
  });
