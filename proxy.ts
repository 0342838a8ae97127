import { type NextRequest, NextResponse } from "next/server";

// Only redirects: every page, action and route checks the session and role on the server itself.
// One exception, which is not about access: an API path Next can't decode (a broken percent-escape)
// would fail inside Next's router as a 500, before any route handler runs; it is answered here as
// the API's JSON 400 instead.
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

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/") && !decodes(pathname)) {
    return NextResponse.json(
      {
        error: {
          code: "bad_request",
          message: "The URL has a broken percent-escape; encode it as UTF-8 (e.g. %20 for a space).",
        },
      },
      { status: 400 },
    );
  }
  if (PUBLIC.some((prefix) => pathname.startsWith(prefix))) return NextResponse.next();
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const url = new URL("/sign-in", request.url);
  if (pathname !== "/") url.searchParams.set("next", pathname + search);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!_next/|favicon.ico|.*\\.(?:png|svg|ico|css|js|woff2?)$).*)"],
};
