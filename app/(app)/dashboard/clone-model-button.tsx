"use client";
import { Copy } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cloneModelAction } from "./actions";

export function CloneModelButton({ id, name }: { id: string; name: string }) {
  const [pending, start] = useTransition();
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      aria-label={`Clone ${name}`}
      onClick={() =>
        start(async () => {
          const res = await cloneModelAction(id);
          if (res.ok) toast.success(`Cloned ${name} as ${res.name}`);
          else toast.error(`Could not clone ${name}: ${res.message}`);
        })
      }
    >
      <Copy className="h-3.5 w-3.5" aria-hidden />
      Clone
    </Button>
  );
}
