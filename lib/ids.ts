const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs and API bodies: anything that isn't a uuid is simply "not found", never a 500. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
