// The one place that builds the Anthropic client. Everything else in the engine takes an `Anthropic`
// instance, so the real API, any Anthropic-compatible endpoint, the offline demo model and the tests'
// fake Messages API server all run the same SDK code path; only the network underneath changes.
import Anthropic from "@anthropic-ai/sdk";

/** A `fetch` the SDK can use in place of the network (the offline demo model, tests). */
export type ModelFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ModelClientOptions {
  /** API key. Falls back to ANTHROPIC_API_KEY; one of the two is required. */
  apiKey?: string;
  /** Any Anthropic-compatible endpoint. Defaults to https://api.anthropic.com (never read from env here). */
  baseURL?: string;
  /** Replaces the network: the SDK sends every request through it. */
  fetch?: ModelFetch;
  /** The SDK's own retries for 408/409/429/5xx and connection errors (SDK default 2). */
  maxRetries?: number;
  /** Per-request timeout in milliseconds (SDK default 10 minutes). */
  timeout?: number;
}

/** The key the offline demo client is built with: it never leaves the process. */
export const DEMO_API_KEY = "foreman-offline-demo";

export class ModelNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelNotConfiguredError";
  }
}

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Builds an Anthropic client from explicit options. Credentials are always passed explicitly, so the
 * SDK never falls back to its ambient credential chain (profiles on disk, auth tokens).
 */
export function createModelClient(options: ModelClientOptions = {}): Anthropic {
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(process.env.ANTHROPIC_API_KEY);
  if (!apiKey) {
    throw new ModelNotConfiguredError(
      "No Anthropic API key: pass apiKey or set ANTHROPIC_API_KEY (or use the offline demo model).",
    );
  }
  return new Anthropic({
    apiKey,
    // null (not undefined) keeps the SDK from reading ANTHROPIC_BASE_URL behind our back.
    baseURL: nonEmpty(options.baseURL) ?? null,
    fetch: options.fetch,
    maxRetries: options.maxRetries,
    timeout: options.timeout,
  });
}

/** Whether a real model is configured (ANTHROPIC_API_KEY is set and not blank). */
export function hasRealModel(env: Env = process.env): boolean {
  return nonEmpty(env.ANTHROPIC_API_KEY) !== undefined;
}

export interface ModelClientFromEnvOptions {
  /**
   * Hook for the offline demo model: a `fetch` that answers with genuine Messages-API responses
   * from a script. Used only when no ANTHROPIC_API_KEY is configured.
   */
  demoFetch?: ModelFetch;
  maxRetries?: number;
  timeout?: number;
  /** Defaults to process.env (tests pass their own). */
  env?: Env;
}

/**
 * The client the worker uses: ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL when a key is configured,
 * otherwise the same SDK over the injected demo `fetch`. Throws ModelNotConfiguredError when neither.
 */
export function modelClientFromEnv(options: ModelClientFromEnvOptions = {}): Anthropic {
  const env = options.env ?? process.env;
  const apiKey = nonEmpty(env.ANTHROPIC_API_KEY);
  if (apiKey) {
    return createModelClient({
      apiKey,
      baseURL: nonEmpty(env.ANTHROPIC_BASE_URL),
      maxRetries: options.maxRetries,
      timeout: options.timeout,
    });
  }
  if (options.demoFetch) {
    return createModelClient({
      apiKey: DEMO_API_KEY,
      fetch: options.demoFetch,
      maxRetries: options.maxRetries,
      timeout: options.timeout,
    });
  }
  throw new ModelNotConfiguredError(
    "No model configured: set ANTHROPIC_API_KEY (and optionally ANTHROPIC_BASE_URL), or run with the offline demo model.",
  );
}
