"use client";
import { RotateCcw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { rerunSessionAction } from "@/app/(app)/sessions/actions";
import { Button } from "@/components/ui/button";

/**
 * Runs a finished session again as a new one: the same bars, symbols, trading rules and seed, with the
 * model as it is now (after editing its prompt, say), then opens the new session.
 */
export function RunAgainButton({ sessionId }: { sessionId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const run = () =>
    start(async () => {
      const res = await rerunSessionAction(sessionId);
      if (!res.ok) {
        toast.error(`Could not run it again: ${res.message}`);
        return;
      }
      toast.success("Session started again");
      router.push(`/sessions/${res.id}`);
    });
  return (
    <Button variant="outline" size="sm" onClick={run} disabled={pending} title="The same bars, symbols, trading rules and seed, with the model as it is now">
      <RotateCcw className="h-4 w-4" aria-hidden />
      {pending ? "Starting…" : "Run again"}
    </Button>
  );
}
