"use client";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { setModelActiveAction } from "@/app/(app)/models/actions";

export function ArchiveModelButton({ id, name, isActive }: { id: string; name: string; isActive: boolean }) {
  const [pending, start] = useTransition();
  const label = isActive ? "Archive" : "Restore";
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      aria-label={`${label} ${name}`}
      onClick={() =>
        start(async () => {
          const res = await setModelActiveAction(id, !isActive);
          if (res.ok) toast.success(isActive ? `Archived ${name}` : `Restored ${name}`);
          else toast.error(res.message);
        })
      }
    >
      {label}
    </Button>
  );
}
