import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { authAttempts, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createInvite } from "@/lib/members/service";
import { signUp } from "@/lib/teams/onboarding";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { checkCredentials } from "./credentials";
import { scryptRuns } from "./password";
import { ADDRESS_LIMIT, attemptKeys, emailKey, isThrottled, recordFailure, throttled } from "./throttle";

const PASSWORD = "correct horse battery";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sign-in throttling", () => {
  it("refuses the 6th wrong password and even the right one while locked, like a wrong password", async () => {
    const dev = await teamMember("developer");
    const attempt = (password: string) => checkCredentials({ email: dev.email, password, address: null });
    for (let i = 0; i < 5; i++) expect(await attempt("wrong password")).toBeNull();
    expect(await isThrottled([emailKey(dev.email)])).toBe(true);
    const runs = scryptRuns.count;
    // One outcome for every refusal: authorize() turns it into the same "Wrong email or password".
    expect(await attempt("wrong password")).toBeNull();
    expect(await attempt(PASSWORD)).toBeNull();
    // The same account under another spelling of its email is the same account.
    expect(
      await checkCredentials({ email: ` ${dev.email.toUpperCase()} `, password: PASSWORD, address: null }),
    ).toBeNull();
    expect(scryptRuns.count).toBe(runs); // refused before any password was checked

    await sleep(1_100); // the first lock lasts 1 s
    expect((await attempt(PASSWORD))?.id).toBe(dev.userId);
    const db = await getDb();
    expect(
      await db
        .select()
        .from(authAttempts)
        .where(eq(authAttempts.key, emailKey(dev.email))),
    ).toEqual([]);
  });

  it("locks for 1 s at the 5th failure, then doubles, capped at 15 minutes", async () => {
    const key = emailKey("nobody-in-particular@example.com");
    const db = await getDb();
    const start = Date.now();
    const lockMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const now = new Date(start + i * 1000);
      await recordFailure([key], now);
      const [row] = await db.select().from(authAttempts).where(eq(authAttempts.key, key));
      lockMs.push(row?.lockedUntil ? row.lockedUntil.getTime() - now.getTime() : 0);
    }
    expect(lockMs.slice(0, 10)).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000]);
    expect(lockMs.at(-1)).toBe(15 * 60_000);
    // After 15 quiet minutes (and no lock left), the count starts over.
    await recordFailure([key], new Date(start + 19_000 + 15 * 60_000 + 1));
    const [row] = await db.select().from(authAttempts).where(eq(authAttempts.key, key));
    expect([row?.failures, row?.lockouts, row?.lockedUntil]).toEqual([1, 0, null]);
  });

  it("throttles an address guessing across many accounts", async () => {
    const dev = await teamMember("developer");
    const address = "203.0.113.7";
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      await checkCredentials({ email: `guess-${i}@example.com`, password: "x", address });
    }
    expect(await checkCredentials({ email: dev.email, password: PASSWORD, address })).toBeNull();
    const elsewhere = await checkCredentials({
      email: dev.email,
      password: PASSWORD,
      address: "198.51.100.1",
    });
    expect(elsewhere?.id).toBe(dev.userId);
  });

  it("spends the same scrypt work on an unknown email or a password-less account as on a real one", async () => {
    const dev = await teamMember("developer");
    const db = await getDb();
    const [github] = await db
      .insert(users)
      .values({ email: "gh-only@example.com", name: "GitHub only", passwordHash: null })
      .returning();
    await checkCredentials({ email: "warm-up@example.com", password: "x", address: null });
    const cost = async (email: string) => {
      const before = scryptRuns.count;
      expect(await checkCredentials({ email, password: "wrong password", address: null })).toBeNull();
      return scryptRuns.count - before;
    };
    expect(await cost(dev.email)).toBe(1);
    expect(await cost("no-such-person@example.com")).toBe(1);
    expect(await cost(github?.email ?? "")).toBe(1);
  });

  it("throttles sign-up and invite acceptance per address", async () => {
    const admin = await teamAdmin();
    const { path } = await createInvite(admin, { role: "developer" });
    const keys = attemptKeys({ address: "192.0.2.9" });
    const join = (invite: string, email: string) =>
      throttled(keys, () => signUp({ name: "Mallory", email, password: PASSWORD, invite }));
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      await expect(join(`inv_guess${i}`, `m${i}@example.com`)).rejects.toMatchObject({ code: "bad_request" });
    }
    const refused = await join(path.slice("/invite/".length), "mallory@example.com").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("rate_limited");
    // The invite is still unused: a locked address changed nothing.
    const database = await getDb();
    const [row] = await database.select().from(users).where(eq(users.email, "mallory@example.com"));
    expect(row).toBeUndefined();
  });
});
