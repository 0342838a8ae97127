// Server actions are public POST endpoints, and Next decodes their bodies (React's reply format) before
// any of Foreman's code runs: a body it can't decode (broken JSON, a root that isn't an argument list,
// a reference to a Blob or a row that isn't there) throws inside Next and answers 500, and so does a
// body over the size limit. The proxy checks an action request's shape first and answers those with a
// 400 (or 413) instead. It checks shape only: what the arguments mean is the actions' business.

/** Next's default serverActions.bodySizeLimit (1 MB): Next answers 500 past it, the proxy 413. */
export const ACTION_BODY_LIMIT = 1024 * 1024;
const MAX_DEPTH = 64;

export class MalformedAction extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * The "$…" strings a browser's call of Foreman's actions can contain (React's encodeReply): an escaped
 * dollar, a FormData, a row reference, undefined, a date, ±Infinity, -0, NaN and a BigInt. Anything else
 * (Blobs, streams, temporary references, server references, typed arrays…) never comes from our forms.
 */
function checkReference(value: string, rows: Rows): void {
  if (value.length === 1) throw new MalformedAction('The action\'s arguments hold a lone "$".');
  const tag = value[1];
  if (tag === "$" || tag === "u" || tag === "D" || tag === "I" || tag === "N") return;
  if (tag === "-" && (value === "$-0" || value === "$-Infinity")) return;
  // A FormData only exists in a multipart body.
  if (tag === "K" && rows.multipart && /^\$K[0-9a-f]+$/.test(value)) return;
  if (tag === "n" && /^\$n-?\d{1,300}$/.test(value)) return;
  if (tag === "@" && /^\$@[0-9a-f]{1,8}$/.test(value)) {
    rows.check(Number.parseInt(value.slice(2), 16));
    return;
  }
  throw new MalformedAction("The action's arguments hold a reference this server doesn't accept.");
}

interface Rows {
  multipart: boolean;
  check(id: number): void;
}

function checkValue(value: unknown, rows: Rows, depth: number): void {
  if (depth > MAX_DEPTH) throw new MalformedAction("The action's arguments are nested too deeply.");
  if (typeof value === "string") {
    if (value.startsWith("$")) checkReference(value, rows);
  } else if (Array.isArray(value)) {
    for (const item of value) checkValue(item, rows, depth + 1);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) checkValue(item, rows, depth + 1);
  }
}

/** Parses JSON, refusing (not throwing) what isn't, and nesting deeper than we allow before parsing. */
function parseRow(text: string): unknown {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  if (deepest > MAX_DEPTH + 1) throw new MalformedAction("The action's arguments are nested too deeply.");
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedAction("The action's arguments aren't valid JSON.");
  }
}

/** Rows of one reply, read from `field(prefix + id)`; each row is checked once. */
function replyRows(
  field: (name: string) => string | null,
  prefix: string,
  multipart: boolean,
): Rows & { root(): unknown; row(id: number): unknown } {
  const seen = new Set<number>();
  const rows = {
    multipart,
    row(id: number) {
      const text = field(`${prefix}${id}`);
      if (text === null)
        throw new MalformedAction("The action's arguments refer to a part that isn't there.");
      const value = parseRow(text);
      seen.add(id);
      checkValue(value, rows, 0);
      return value;
    },
    check(id: number) {
      if (seen.has(id)) return;
      seen.add(id);
      const text = field(`${prefix}${id}`);
      if (text === null)
        throw new MalformedAction("The action's arguments refer to a part that isn't there.");
      checkValue(parseRow(text), rows, 0);
    },
    root() {
      const text = field(`${prefix}0`);
      if (text === null) throw new MalformedAction("The action's arguments are missing.");
      const root = parseRow(text);
      seen.add(0);
      checkValue(root, rows, 0);
      return root;
    },
  };
  return rows;
}

function fieldReader(form: FormData) {
  return (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : null;
  };
}

/** A fetch call of an action (`Next-Action` header): the arguments must be a list, in a well-formed reply. */
function checkFetchCall(body: FormData | string): void {
  const field = typeof body === "string" ? (name: string) => (name === "0" ? body : null) : fieldReader(body);
  const root = replyRows(field, "", typeof body !== "string").root();
  if (!Array.isArray(root)) throw new MalformedAction("The action's arguments must be a list.");
}

/** A form posted without JavaScript: each `$ACTION_REF_n` must come with well-formed bound arguments. */
function checkFormPost(form: FormData): void {
  for (const name of form.keys()) {
    const ref = /^\$ACTION_REF_(.*)$/.exec(name);
    if (!ref) continue;
    const prefix = `$ACTION_${ref[1]}:`;
    const rows = replyRows(fieldReader(form), prefix, true);
    const meta = rows.root();
    if (!meta || typeof meta !== "object" || Array.isArray(meta)) {
      throw new MalformedAction("The form names its action in a shape this server doesn't accept.");
    }
    const { id, bound } = meta as { id?: unknown; bound?: unknown };
    if (typeof id !== "string" || (bound !== null && typeof bound !== "string")) {
      throw new MalformedAction("The form names its action in a shape this server doesn't accept.");
    }
    if (typeof bound === "string") {
      // The bound arguments: a row reference to a list.
      const match = /^\$@([0-9a-f]{1,8})$/.exec(bound);
      if (!match || !Array.isArray(rows.row(Number.parseInt(match[1] ?? "", 16)))) {
        throw new MalformedAction("The form's bound arguments must be a list.");
      }
    }
  }
}

/**
 * Checks a POST that may call a server action; null when it may go on to Next, else the error response
 * (JSON, in the API's error shape). Reads a copy of the body: Next still gets the original.
 */
export async function refuseMalformedAction(request: Request): Promise<Response | null> {
  if (request.method !== "POST") return null;
  const fetchCall = request.headers.has("next-action");
  const contentType = request.headers.get("content-type") ?? "";
  const multipart = contentType.startsWith("multipart/form-data");
  if (!fetchCall && !multipart) return null;
  try {
    const length = Number(request.headers.get("content-length") ?? "0");
    if (length > ACTION_BODY_LIMIT) throw new MalformedAction("The form is too large to send.", 413);
    const copy = request.clone();
    let body: FormData | string;
    if (multipart) {
      body = await copy.formData().catch(() => {
        throw new MalformedAction("The form's body isn't valid multipart data.");
      });
    } else {
      body = await copy.text();
      if (body.length > ACTION_BODY_LIMIT) throw new MalformedAction("The form is too large to send.", 413);
    }
    if (fetchCall) checkFetchCall(body);
    else if (typeof body !== "string") checkFormPost(body);
    return null;
  } catch (error) {
    if (!(error instanceof MalformedAction)) throw error;
    return Response.json(
      { error: { code: error.status === 413 ? "too_large" : "bad_request", message: error.message } },
      { status: error.status },
    );
  }
}
