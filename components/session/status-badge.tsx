import { AlertTriangle, CheckCircle2, CircleDashed, CirclePause, Hourglass, Loader2, XCircle } from "lucide-react";
import { Badge } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import { STATUS_LABEL } from "@/lib/viewer/format";
import type { SessionStatus } from "@/lib/viewer/types";

const STYLE: Record<SessionStatus, { className: string; Icon: typeof Loader2 }> = {
  queued: { className: "text-muted-foreground", Icon: Hourglass },
  pending: { className: "text-muted-foreground", Icon: CircleDashed },
  running: { className: "border-primary/40 text-primary", Icon: Loader2 },
  paused: { className: "border-amber-500/50 text-amber-700 dark:text-amber-300", Icon: CirclePause },
  completed: { className: "border-success/50 text-success", Icon: CheckCircle2 },
  failed: { className: "border-destructive/50 bg-destructive/10 text-destructive", Icon: AlertTriangle },
  cancelled: { className: "text-muted-foreground", Icon: XCircle },
};

/** The session's status in words, with an icon and a colour (never the colour alone). */
export function StatusBadge({ status, className }: { status: SessionStatus; className?: string }) {
  const { className: tone, Icon } = STYLE[status];
  return (
    <Badge className={cn("gap-1", tone, className)} data-testid="session-status">
      <Icon className={cn("h-3 w-3", status === "running" && "animate-spin motion-reduce:animate-none")} aria-hidden />
      {STATUS_LABEL[status]}
    </Badge>
  );
}
