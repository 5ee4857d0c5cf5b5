"use client";
import { useQueryClient } from "@tanstack/react-query";
import { Pause, Play, Square } from "lucide-react";
import { Dialog } from "radix-ui";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { controlSessionAction } from "@/app/(app)/sessions/actions";
import { Button } from "@/components/ui/button";
import { applyStatusAnswer } from "@/lib/viewer/fold";
import { isFinished, type SessionStatus, type ViewerState } from "@/lib/viewer/types";
import { viewerKey } from "./use-session-events";

const DONE: Record<"pause" | "resume" | "cancel", string> = { pause: "Session paused", resume: "Session resumed", cancel: "Session cancelled" };

/**
 * Pause, Resume and Cancel session. The new status arrives on the event stream like any other change;
 * the action's answer is applied at once as well so the buttons never lag behind a click, unless the stream already
 * went past it (applyStatusAnswer), and a cancel reads the session again: the stream closes with it.
 */
export function SessionControls({ sessionId, status }: { sessionId: string; status: SessionStatus }) {
  const queryClient = useQueryClient();
  const [pending, start] = useTransition();
  const [confirming, setConfirming] = useState(false);

  const run = (action: "pause" | "resume" | "cancel") =>
    start(async () => {
      const res = await controlSessionAction(sessionId, action);
      if (!res.ok) {
        toast.error(res.message);
        return;
      }
      queryClient.setQueryData<ViewerState>(viewerKey(sessionId), (old) => (old ? applyStatusAnswer(old, res.status as SessionStatus, res.seq) : old));
      // A finished session's stream closes at once (the viewer streams only unfinished ones), perhaps before the
      // events of the cancel itself arrive (its working orders cancelled, reason session_end): the session is read
      // again, or the table would keep showing orders that no longer work.
      if (isFinished(res.status as SessionStatus)) void queryClient.invalidateQueries({ queryKey: viewerKey(sessionId) });
      toast.success(DONE[action]);
      setConfirming(false);
    });

  const canPause = status === "running" || status === "pending" || status === "queued";
  const canResume = status === "paused";
  const canCancel = canPause || canResume;
  if (!canCancel) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {canPause && (
        <Button variant="outline" size="sm" onClick={() => run("pause")} disabled={pending}>
          <Pause className="h-4 w-4" aria-hidden />
          Pause
        </Button>
      )}
      {canResume && (
        <Button size="sm" onClick={() => run("resume")} disabled={pending}>
          <Play className="h-4 w-4" aria-hidden />
          Resume
        </Button>
      )}
      <Dialog.Root open={confirming} onOpenChange={setConfirming}>
        <Dialog.Trigger asChild>
          <Button variant="outline" size="sm" disabled={pending} className="text-destructive">
            <Square className="h-4 w-4" aria-hidden />
            Cancel session
          </Button>
        </Dialog.Trigger>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
          <Dialog.Content className="fixed left-1/2 top-1/2 z-50 grid w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 gap-4 rounded-lg border bg-card p-5 shadow-lg">
            <Dialog.Title className="text-lg font-semibold">Cancel this session?</Dialog.Title>
            <Dialog.Description className="text-sm text-muted-foreground">
              It stops before the next bar and cannot be resumed. Its decisions, orders and fills so far are kept.
            </Dialog.Description>
            <div className="flex flex-wrap justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="ghost">Keep it running</Button>
              </Dialog.Close>
              <Button variant="destructive" onClick={() => run("cancel")} disabled={pending}>
                Yes, cancel the session
              </Button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}
