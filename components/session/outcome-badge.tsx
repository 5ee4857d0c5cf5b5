import { AlertTriangle, ArrowLeftRight, Pause } from "lucide-react";
import { Badge } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import type { DecisionOutcome } from "@/lib/viewer/types";

// Class names merged once, not per badge: the decision feed mounts a few badges every scroll frame.
const OUTCOME = {
  traded: { label: "Traded", Icon: ArrowLeftRight, className: cn("shrink-0 gap-1", "border-success/50 text-success") },
  held: { label: "Held", Icon: Pause, className: cn("shrink-0 gap-1", "text-muted-foreground") },
  failed: { label: "Failed", Icon: AlertTriangle, className: cn("shrink-0 gap-1", "border-destructive/60 bg-destructive/10 text-destructive") },
} as const;

/** A decision's outcome in words with an icon; colour is never the only signal. */
export function OutcomeBadge({ outcome }: { outcome: DecisionOutcome }) {
  const { label, Icon, className } = OUTCOME[outcome];
  return (
    <Badge className={className}>
      <Icon className="h-3 w-3" aria-hidden />
      {label}
    </Badge>
  );
}
