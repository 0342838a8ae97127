export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "dirty_worktree"
  | "rate_limited"
  | "unavailable";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** A merge refused because the repository's checkout of the base branch has uncommitted changes. */
  dirty_worktree: 409,
  /** Too many failed sign-in or sign-up attempts from this address or for this account. */
  rate_limited: 429,
  unavailable: 503,
};

/** The one error type services throw; actions turn it into form state, API routes into JSON. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field the error is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.code];
  }

  toResponse(): Response {
    return Response.json(
      { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } },
      { status: this.status },
    );
  }
}

export const badRequest = (message: string, field?: string) => new AppError("bad_request", message, field);
export const forbidden = (message = "You don't have permission to do that.") =>
  new AppError("forbidden", message);
export const notFound = (what: string) => new AppError("not_found", `${what} not found.`);
export const conflict = (message: string, field?: string) => new AppError("conflict", message, field);
