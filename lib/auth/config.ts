import { eq } from "drizzle-orm";
import NextAuth, { CredentialsSignin } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { checkCredentials } from "./credentials";
import { currentSessionVersion, signOutSession } from "./sessions";
import { clientAddress } from "./throttle";

declare module "next-auth" {
  interface Session {
    /** The user's session version when this session signed in (see users.sessionVersion). */
    sessionVersion?: number;
  }
}

class WrongCredentials extends CredentialsSignin {
  code = "wrong_credentials";
}

export const githubEnabled = Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET);

async function findUserByEmail(email: string) {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return user ?? null;
}

const providers: Provider[] = [
  Credentials({
    credentials: { email: { type: "email" }, password: { type: "password" } },
    async authorize(credentials, request) {
      const email = typeof credentials?.email === "string" ? credentials.email : "";
      const password = typeof credentials?.password === "string" ? credentials.password : "";
      // A throttled attempt gets the same error as a wrong password: the lock itself tells nothing.
      const user = await checkCredentials({ email, password, address: clientAddress(request.headers) });
      if (!user) throw new WrongCredentials();
      return user;
    },
  }),
];
if (githubEnabled) providers.push(GitHub);

export const { handlers, auth, signIn, signOut } = NextAuth({
  providers,
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  // Foreman is self-hosted behind whatever host name its operators choose.
  trustHost: true,
  logger: {
    // A wrong password is an expected outcome shown to the user, not a server error worth a stack trace;
    // so is a session cookie that doesn't decrypt (forged, or from before AUTH_SECRET changed): the person
    // is simply signed out. One line, so an operator still sees it happen.
    error(error) {
      const type = (error as { type?: string }).type ?? error.name;
      if (type === "CredentialsSignin") return;
      if (type === "JWTSessionError") {
        console.warn("[auth] a session cookie could not be read; treated as signed out");
        return;
      }
      console.error(error);
    },
  },
  events: {
    async signOut(message) {
      if ("token" in message && message.token) await signOutSession(message.token);
    },
  },
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== "github") return true;
      // GitHub only signs in people who already have a Foreman account with that email (joined by invite).
      const email = typeof profile?.email === "string" ? profile.email : null;
      return Boolean(email && (await findUserByEmail(email)));
    },
    async jwt({ token, account, profile, user }) {
      if (account?.provider === "github" && typeof profile?.email === "string") {
        const found = await findUserByEmail(profile.email);
        if (found) {
          token.sub = found.id;
          token.sv = found.sessionVersion;
        }
      } else if (user?.id) {
        token.sub = user.id;
        token.sv = (await currentSessionVersion(user.id)) ?? undefined;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (typeof token.sv === "number") session.sessionVersion = token.sv;
      return session;
    },
  },
});
