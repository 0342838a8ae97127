import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, makeNonce, securityHeaders, servedOverHttps } from "./headers";

const base = { nonce: "abc123==", https: false, development: false, github: false };

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("contentSecurityPolicy", () => {
  it("allows scripts only with this request's nonce, and nothing from elsewhere", () => {
    const csp = directives(contentSecurityPolicy(base));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(csp.get("font-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("never allows eval in production, only in development", () => {
    expect(contentSecurityPolicy(base)).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy({ ...base, https: true, github: true })).not.toContain("unsafe-eval");
    expect(directives(contentSecurityPolicy({ ...base, development: true })).get("script-src")).toContain(
      "'unsafe-eval'",
    );
  });

  it("lets a sign-in form post be redirected to GitHub only when GitHub sign-in is on", () => {
    expect(directives(contentSecurityPolicy({ ...base, github: true })).get("form-action")).toEqual([
      "'self'",
      "https://github.com",
    ]);
  });

  it("upgrades insecure requests only over https", () => {
    expect(directives(contentSecurityPolicy(base)).has("upgrade-insecure-requests")).toBe(false);
    expect(directives(contentSecurityPolicy({ ...base, https: true })).has("upgrade-insecure-requests")).toBe(
      true,
    );
  });
});

describe("securityHeaders", () => {
  it("sets nosniff, frame denial and a referrer policy on everything", () => {
    for (const options of [base, { ...base, nonce: undefined }]) {
      const headers = securityHeaders(options);
      expect(headers["X-Content-Type-Options"]).toBe("nosniff");
      expect(headers["X-Frame-Options"]).toBe("DENY");
      expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    }
  });

  it("adds a CSP only when there is a nonce (pages, not API responses)", () => {
    expect(securityHeaders(base)["Content-Security-Policy"]).toContain("'nonce-abc123=='");
    expect(securityHeaders({ ...base, nonce: undefined })).not.toHaveProperty("Content-Security-Policy");
  });

  it("sends HSTS only over https", () => {
    expect(securityHeaders(base)).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders({ ...base, https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d{7,}/);
  });
});

describe("servedOverHttps", () => {
  it("believes the forwarding proxy's scheme over the URL the app saw", () => {
    expect(servedOverHttps(new URL("http://app:3000/board"), "https")).toBe(true);
    expect(servedOverHttps(new URL("http://app:3000/board"), "https, http")).toBe(true);
    expect(servedOverHttps(new URL("https://app/board"), "http")).toBe(false);
    expect(servedOverHttps(new URL("https://app/board"), null)).toBe(true);
    expect(servedOverHttps(new URL("http://localhost:3000/board"), null)).toBe(false);
  });
});

describe("makeNonce", () => {
  it("is fresh each time and at least 128 bits", () => {
    const a = makeNonce();
    expect(a).not.toBe(makeNonce());
    expect(atob(a)).toHaveLength(16);
  });
});
