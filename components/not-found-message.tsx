import Link from "next/link";
import { Button } from "@/components/ui/button";

/** What a missing page, or another user's id, shows: the same words either way, so ids cannot be probed. */
export function NotFoundMessage() {
  return (
    <div className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-muted-foreground">This page does not exist, or it belongs to someone else.</p>
      <Button asChild variant="outline">
        <Link href="/dashboard">Back to the dashboard</Link>
      </Button>
    </div>
  );
}
