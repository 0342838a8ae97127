import type { z } from "zod";
import { badRequest } from "@/lib/errors";

/**
 * Validates service input and turns the first problem into the one error type services throw,
 * naming the field, so API callers get the same message a form shows next to the field.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path[0];
  throw badRequest(issue?.message ?? "Invalid input.", path === undefined ? field : String(path));
}
