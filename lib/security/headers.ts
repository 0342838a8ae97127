// The security headers every response carries. Built per request in proxy.ts, which hands the page's
// Content-Security-Policy to Next as a request header too, so Next puts the nonce on its own scripts.

export interface SecurityHeaderOptions {
  /** Fresh per request; only pages need one (API responses get no CSP). */
  nonce?: string;
  /** Served over https (directly or behind a TLS-terminating proxy): HSTS and upgrade-insecure-requests. */
  https: boolean;
  /** `next dev` needs eval for React's refresh and error overlays; production never does. */
  development: boolean;
  /** GitHub sign-in is enabled: a form post (without JavaScript) is redirected to github.com. */
  github: boolean;
}

/** 128 random bits, base64: unguessable and fresh for every page view. */
export function makeNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(options: SecurityHeaderOptions & { nonce: string }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // 'strict-dynamic': the scripts Next loads from its nonced bootstrap are trusted without a list of URLs.
    "script-src": [
      "'self'",
      `'nonce-${options.nonce}'`,
      "'strict-dynamic'",
      ...(options.development ? ["'unsafe-eval'"] : []),
    ],
    // React style props (virtualised lists, progress bars) and the toaster's injected <style> are inline.
    // A nonce here would switch 'unsafe-inline' off, so styles are allowed by origin + inline only.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    // Server actions, SSE streams and the API are all same-origin.
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", ...(options.github ? ["https://github.com"] : [])],
    "frame-ancestors": ["'none'"],
  };
  const policy = Object.entries(directives).map(([name, values]) => `${name} ${values.join(" ")}`);
  if (options.https) policy.push("upgrade-insecure-requests");
  return policy.join("; ");
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
  if (options.nonce)
    headers["Content-Security-Policy"] = contentSecurityPolicy({ ...options, nonce: options.nonce });
  // Browsers ignore HSTS over plain http, and sending it from a dev box on http would only confuse.
  if (options.https) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}

/** True when the browser reached us over https, directly or through a proxy that says so. */
export function servedOverHttps(url: URL, forwardedProto: string | null): boolean {
  if (forwardedProto) return forwardedProto.split(",")[0]?.trim().toLowerCase() === "https";
  return url.protocol === "https:";
}
