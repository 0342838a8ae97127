import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { type ApiToken, apiTokens, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { loadActor } from "@/lib/auth/actor";
import { type Actor, authorize, can } from "@/lib/auth/permissions";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { conflict, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/models/parse";
import {
  type CreateTokenInput,
  createTokenSchema,
  revokeTokenSchema,
  TOKEN_PREFIX,
  VISIBLE_PREFIX_LENGTH,
} from "./schema";

export type TokenRow = Pick<ApiToken, "id" | "name" | "prefix" | "createdAt" | "lastUsedAt" | "userId"> & {
  ownerName: string;
  ownerEmail: string;
};

// Writing lastUsedAt on every request would turn each API read into a write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Creates a token for the actor. The token itself is returned once and only its hash is kept. */
export async function createApiToken(
  actor: Actor,
  raw: CreateTokenInput,
): Promise<{ token: string; row: ApiToken }> {
  authorize(actor, "tokens:own");
  const input = parseInput(createTokenSchema, raw);
  const token = newSecret(TOKEN_PREFIX);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        teamId: actor.teamId,
        userId: actor.userId,
        name: input.name,
        tokenHash: hashSecret(token),
        prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
      })
      .returning();
    if (!row) throw new Error("token insert returned nothing");
    await recordAudit(
      tx,
      actor,
      "token.created",
      { type: "api_token", id: row.id },
      { name: row.name, prefix: row.prefix },
    );
    return { token, row };
  });
}

/** Active tokens: the actor's own; an admin sees every token in the team. */
export async function listApiTokens(actor: Actor): Promise<TokenRow[]> {
  authorize(actor, "tokens:own");
  const db = await getDb();
  const scope = can(actor, "members:manage")
    ? eq(apiTokens.teamId, actor.teamId)
    : and(eq(apiTokens.teamId, actor.teamId), eq(apiTokens.userId, actor.userId));
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      userId: apiTokens.userId,
      ownerName: users.name,
      ownerEmail: users.email,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(scope, isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
}

/** Anyone may revoke their own tokens; admins may revoke any token in the team. */
export async function revokeApiToken(actor: Actor, id: string): Promise<void> {
  authorize(actor, "tokens:own");
  const input = parseInput(revokeTokenSchema, { id });
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.teamId, actor.teamId), eq(apiTokens.id, input.id)))
      .for("update");
    // Someone else's token is "not found" to a non-admin: its existence is none of their business.
    if (!row || (row.userId !== actor.userId && !can(actor, "members:manage"))) throw notFound("Token");
    if (row.revokedAt) throw conflict("This token was already revoked.");
    await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, row.id));
    await recordAudit(
      tx,
      actor,
      "token.revoked",
      { type: "api_token", id: row.id },
      { name: row.name, prefix: row.prefix, owner: row.userId },
    );
  });
}

/**
 * The actor behind an `Authorization: Bearer fm_…` header (or the bare token), acting with its
 * creator's current role; null for anything unknown, revoked, or whose creator left the team.
 */
export async function authenticateApiToken(bearer: string | null | undefined): Promise<Actor | null> {
  const token = (bearer ?? "").replace(/^Bearer\s+/i, "").trim();
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashSecret(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  // The token acts in the team it was made in, even for someone who has joined another team since.
  const actor = await loadActor(row.userId, "api", row.teamId);
  if (!actor || actor.teamId !== row.teamId) return null;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return actor;
}
