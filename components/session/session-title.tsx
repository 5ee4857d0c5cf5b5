"use client";
import { useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { renameSessionAction } from "@/app/(app)/sessions/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { SESSION_LABEL_MAX } from "@/lib/schemas/session";
import { viewerKey } from "@/lib/viewer/keys";
import type { ViewerState } from "@/lib/viewer/types";

/**
 * The viewer's heading, "Model · label", and the label (the user's name for the run) renamed in place: a
 * button beside the heading opens a one-field form under it.
 * Saved through the same schema as the API (PATCH /api/v1/sessions/:id); an empty field removes the label.
 * The viewer's state takes the new label at once; the dashboard and leaderboard show it on their next load.
 */
export function SessionTitle({ sessionId, title, label }: { sessionId: string; title: string; label: string | null }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [value, setValue] = useState(label ?? "");
  const [pending, start] = useTransition();
  const close = () => {
    setEditing(false);
    setError(undefined);
  };
  const open = () => {
    setValue(label ?? "");
    setEditing(true);
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    start(async () => {
      const res = await renameSessionAction(sessionId, value);
      if (!res.ok) {
        setError(res.fieldErrors?.label ?? res.message);
        return;
      }
      queryClient.setQueryData<ViewerState>(viewerKey(sessionId), (old) => (old ? { ...old, session: { ...old.session, label: res.label } } : old));
      toast.success(res.label ? `Renamed: ${res.label}` : "Label removed");
      close();
    });
  };
  const heading = <h1 className="min-w-0 truncate text-2xl font-semibold">{title}</h1>;
  if (!editing) {
    return (
      <div className="grid grid-cols-[minmax(0,auto)_auto] items-center justify-start gap-2">
        {heading}
        <Button variant="ghost" size="sm" onClick={open} aria-label={label ? "Rename this session" : "Add label to this session"} title="The label is your name for the run">
          <Pencil className="h-4 w-4" aria-hidden />
          {label ? "Rename" : "Add label"}
        </Button>
      </div>
    );
  }
  return (
    <>
      {heading}
      <form onSubmit={save} aria-label="Rename the session" className="grid max-w-xl gap-1.5 py-1" onKeyDown={(e) => e.key === "Escape" && close()}>
        <label htmlFor="session-label" className="text-sm font-medium">
          Label
        </label>
        <div className="flex flex-wrap gap-2">
          <Input
            id="session-label"
            className="min-w-0 flex-1 basis-48"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            maxLength={SESSION_LABEL_MAX}
            autoFocus
            autoComplete="off"
            aria-invalid={Boolean(error)}
            aria-describedby={error ? "session-label-error" : "session-label-hint"}
          />
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
          <Button type="button" variant="outline" onClick={close} disabled={pending}>
            Cancel
          </Button>
        </div>
        {error ? (
          <p id="session-label-error" role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : (
          <p id="session-label-hint" className="text-xs text-muted-foreground">
            Your name for this run, shown with the model&apos;s; empty for none.
          </p>
        )}
      </form>
    </>
  );
}
