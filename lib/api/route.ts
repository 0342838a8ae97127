/**
 * The REST API v1's building blocks: bearer-token authentication, JSON errors, JSON bodies.
 *
 * Adding an endpoint (`app/api/v1/things/[id]/poke/route.ts`):
 *
 *   import { apiRoute, created, readJson } from "@/lib/api/route";
 *   import { serializeThing } from "@/lib/api/serialize";
 *
 *   export const dynamic = "force-dynamic";
 *   export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
 *     const body = await readJson(request);             // malformed JSON → 400
 *     const thing = await pokeThing(actor, params.id, body); // the service checks role, input, team
 *     return created({ thing: serializeThing(thing) });  // or return a plain object for 200
 *   });
 *
 * The actor is the token's creator with their current role (audit source "api"). Services throw
 * AppError (badRequest(msg, field), forbidden, notFound, conflict) or ZodError; both become
 * `{ error: { code, message, field? } }` with the matching status. Ids that aren't uuids or belong to
 * another team must be "not found" — the services already do that. What is malformed rather than
 * unknown is a 400: a path param with a broken percent-escape or a NUL (readParams), a body that isn't
 * a JSON object or holds text the database can't store (readJson: NUL, unpaired surrogates), numbers
 * past what their column holds (the services' zod schemas). lib/api/fuzz.test.ts holds every route to it.
 */
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/permissions";
import { AppError, badRequest } from "@/lib/errors";
import { unstorableText } from "@/lib/storable-text";
import { authenticateApiToken } from "@/lib/tokens/service";

export interface ApiContext<P> {
  actor: Actor;
  request: Request;
  params: P;
}

type Params = Record<string, string | string[]>;

/** A query parameter of the request's URL (null when absent). */
export const searchParam = (request: Request, name: string) => new URL(request.url).searchParams.get(name);

/** A JSON response; `created` is the 201 for new rows. */
export const json = (body: unknown, status = 200) => Response.json(body, { status });
export const created = (body: unknown) => json(body, 201);

/**
 * Wraps a route handler: authenticates the bearer token, awaits the params, and turns errors into JSON.
 * The handler returns a Response, or a plain object sent as 200 JSON.
 */
export function apiRoute<P extends Params = Params>(
  handler: (context: ApiContext<P>) => Promise<Response | object>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      // Read now, awaited after authentication: a params promise that rejects (a URL Next couldn't
      // decode) must not go unhandled meanwhile.
      const reading = readParams(context);
      reading.catch(() => {});
      const actor = await authenticate(request);
      const params = await reading;
      const result = await handler({ actor, request, params });
      return result instanceof Response ? result : json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * The route's params, each one a string Next decoded from the URL. A broken percent-escape ("%zz",
 * "%E0%A4%A", overlong UTF-8 like "%C0%AE") makes decoding throw URIError: that is the caller's
 * malformed URL, so a 400 naming the param, never a 500. Ids that decode but aren't uuids stay
 * "not found" (the services check that), as before.
 */
export async function readParams<P extends Params>(context: { params: Promise<P> } | undefined): Promise<P> {
  let params: P;
  try {
    params = (await context?.params) ?? ({} as P);
  } catch (error) {
    if (isDecodeError(error)) throw malformedUrl();
    throw error;
  }
  for (const [name, value] of Object.entries(params)) {
    for (const part of Array.isArray(value) ? value : [value]) {
      // Next hands a param it could not decode through as raw text in some paths; a lone "%" that is
      // not followed by two hex digits, or a NUL, is never part of a valid id.
      if (typeof part !== "string" || /%(?![0-9a-f]{2})|\0/i.test(part) || !isDecodable(part)) {
        throw malformedUrl(name);
      }
    }
  }
  return params;
}

const isDecodeError = (error: unknown) =>
  error instanceof URIError || (error instanceof Error && error.name === "DecodeError");

function isDecodable(text: string): boolean {
  if (!text.includes("%")) return true;
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

const malformedUrl = (param?: string) =>
  badRequest(
    param
      ? `The URL's ${param} isn't valid: it has a broken percent-escape or a character no id contains.`
      : "The URL has a broken percent-escape; encode it as UTF-8 (e.g. %20 for a space).",
    param,
  );

async function authenticate(request: Request): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (!header?.trim()) {
    throw new AppError(
      "unauthorized",
      "Send an API token: Authorization: Bearer fm_… (create one in Settings → API tokens).",
    );
  }
  const actor = await authenticateApiToken(header);
  if (!actor) throw new AppError("unauthorized", "This API token is unknown or revoked.");
  return actor;
}

/** Any thrown error as the API's JSON error; unexpected ones are logged and hidden. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const response = error.toResponse();
    if (error.code === "unauthorized") response.headers.set("WWW-Authenticate", 'Bearer realm="foreman"');
    return response;
  }
  if (error instanceof z.ZodError) return zodError(error).toResponse();
  if (isDecodeError(error)) return malformedUrl().toResponse();
  console.error("[api] unexpected error:", error);
  return json({ error: { code: "internal", message: "Something went wrong on the server." } }, 500);
}

/** The first problem of a ZodError as a 400 naming its field; "missing" reads better than zod's wording. */
export function zodError(error: z.ZodError): AppError {
  const issue = error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join(".") : undefined;
  const missing = issue?.code === "invalid_type" && /received undefined$/.test(issue.message);
  const message = missing && field ? `Missing field "${field}".` : (issue?.message ?? "Invalid input.");
  return badRequest(message, field);
}

/** The request body as a JSON object; anything else is a 400 that says what was wrong. */
export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) throw badRequest("The request body is empty; send a JSON object.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? ` (${error.message})` : "";
    throw badRequest(`The request body isn't valid JSON${reason}.`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object.");
  }
  assertStorableText(body);
  return body as Record<string, unknown>;
}

/**
 * Every string (and key) of a JSON body must be text the database can store: else a 400 naming it.
 * A loop, not recursion: a body nested thousands deep must not overflow the stack.
 */
function assertStorableText(body: object): void {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] };
    const field = path.length ? path.join(".") : undefined;
    const refuse = (what: string) =>
      badRequest(
        `${field ? `"${field}"` : "The request body"} contains ${what}, which can't be stored; remove it.`,
        field,
      );
    if (typeof value === "string") {
      const found = unstorableText(value);
      if (found) throw refuse(found);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (unstorableText(key)) throw refuse("a key with a NUL character or an unpaired surrogate");
        // Paths of deep bodies are cut short: the message names where it starts.
        stack.push({ value: item, path: path.length < 20 ? [...path, key] : path });
      }
    }
  }
}

/** For endpoints whose body is optional: an empty body is `{}`, anything else as readJson. */
export async function readOptionalJson(request: Request): Promise<Record<string, unknown>> {
  const text = await request.clone().text();
  return text.trim() ? readJson(request) : {};
}

/** Parses `input` with a zod schema, throwing the API's 400 (with the field) on failure. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw zodError(result.error);
  return result.data;
}
