import { type NextRequest, NextResponse } from "next/server";
import { refuseMalformedAction } from "@/lib/security/action-requests";
import { makeNonce, securityHeaders, servedOverHttps } from "@/lib/security/headers";

// Redirects signed-out visitors and sets the security headers. Every page, action and route checks the
// session and role on the server itself. One exception, which is not about access: an API path Next can't
// decode (a broken percent-escape) would fail inside Next's router as a 500, before any route handler
// runs; it is answered here as the API's JSON 400 instead. Likewise a server-action POST whose body Next
// can't decode (lib/security/action-requests.ts).
const PUBLIC = ["/sign-in", "/sign-up", "/invite", "/api/"];
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const api = pathname.startsWith("/api/");
  const headers = securityHeaders({
    // API responses are JSON, SSE or redirects: no scripts to nonce, so no CSP.
    nonce: api ? undefined : makeNonce(),
    https: servedOverHttps(request.nextUrl, request.headers.get("x-forwarded-proto")),
    development: process.env.NODE_ENV !== "production",
    github: Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET),
  });
  const refused = api ? null : await refuseMalformedAction(request);
  const response = refused
    ? refused
    : api && !decodes(pathname)
      ? NextResponse.json(
          {
            error: {
              code: "bad_request",
              message: "The URL has a broken percent-escape; encode it as UTF-8 (e.g. %20 for a space).",
            },
          },
          { status: 400 },
        )
      : route(request, pathname, search, headers["Content-Security-Policy"]);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

function route(request: NextRequest, pathname: string, search: string, csp: string | undefined) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession || PUBLIC.some((prefix) => pathname.startsWith(prefix))) {
    if (!csp) return NextResponse.next();
    // Next reads the nonce from the request's CSP header and puts it on its own scripts.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("Content-Security-Policy", csp);
    // The layout hands it to next-themes, whose inline theme script would otherwise be blocked.
    requestHeaders.set("x-nonce", nonceOf(csp));
    return NextResponse.next({ request: { headers: requestHeaders } });
  }
  const url = new URL("/sign-in", request.url);
  if (pathname !== "/") url.searchParams.set("next", pathname + search);
  return NextResponse.redirect(url);
}

function nonceOf(csp: string) {
  return /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
}

// Static files (_next/, images, fonts, css, js) skip the proxy: a CSP on them means nothing and the
// proxy would run for every asset. next.config.js gives them nosniff, the frame and referrer headers.
export const config = {
  matcher: ["/((?!_next/|favicon.ico|.*\\.(?:png|svg|ico|css|js|woff2?)$).*)"],
};
