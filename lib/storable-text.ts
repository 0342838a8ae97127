// PostgreSQL's text and jsonb hold neither NUL nor half a UTF-16 surrogate pair; JSON and form posts
// can carry both. Found in input, they are the sender's mistake (a 400), never a database error.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What in `text` the database can't store ("a NUL character", "an unpaired UTF-16 surrogate"), or null. */
export function unstorableText(text: string): string | null {
  const found = UNSTORABLE.exec(text);
  if (!found) return null;
  return found[0] === "\u0000" ? "a NUL character (\\u0000)" : "an unpaired UTF-16 surrogate";
}

/** For zod: `.refine(isStorableText, STORABLE_TEXT_MESSAGE)`. */
export const isStorableText = (text: string) => unstorableText(text) === null;
export const STORABLE_TEXT_MESSAGE = "Remove the NUL or broken unicode characters: they can't be saved.";
