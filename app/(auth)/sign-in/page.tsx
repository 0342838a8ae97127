import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { GitHubButton } from "@/components/auth/github-button";
import { SignInForm } from "@/components/auth/sign-in-form";
import { githubEnabled } from "@/lib/auth/config";
import { currentActor } from "@/lib/auth/session";
import { instanceHasTeam } from "@/lib/teams/onboarding";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  "password-changed": "Your password was changed and every session ended. Sign in with your new password.",
};

const ERRORS: Record<string, string> = {
  AccessDenied: "No Foreman account uses that GitHub email. Ask an admin for an invite link first.",
  Configuration: "Sign-in is misconfigured on the server. Tell your Foreman admin.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; error?: string; notice?: string }>;
}) {
  if (!(await instanceHasTeam())) redirect("/sign-up");
  if (await currentActor()) redirect("/board");
  const { next, error, notice } = await searchParams;
  return (
    <>
      <h1 className="text-base font-semibold">Sign in</h1>
      <p className="mb-5 mt-1 text-sm text-muted-foreground">Welcome back to Foreman.</p>
      {notice && NOTICES[notice] ? (
        <p role="status" className="mb-4 rounded-md bg-muted px-3 py-2 text-sm">
          {NOTICES[notice]}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mb-4 rounded-md bg-danger-muted px-3 py-2 text-sm text-danger">
          {ERRORS[error] ?? "Sign-in failed. Try again."}
        </p>
      ) : null}
      <SignInForm next={next} />
      {githubEnabled ? (
        <div className="mt-3">
          <GitHubButton />
        </div>
      ) : null}
      <p className="mt-5 text-center text-xs text-muted-foreground">
        New here? Ask an admin of your team for an invite link.{" "}
        <Link href="/sign-up" className="underline">
          More
        </Link>
      </p>
    </>
  );
}
