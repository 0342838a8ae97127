import { Button } from "@/components/ui/button";
import { signIn } from "@/lib/auth/config";

export function GitHubButton() {
  return (
    <form
      action={async () => {
        "use server";
        await signIn("github", { redirectTo: "/board" });
      }}
    >
      <Button type="submit" variant="secondary" className="w-full">
        Continue with GitHub
      </Button>
    </form>
  );
}
