"use client";
import type { TooltipContentProps, TooltipValueType } from "recharts";

type Props = TooltipContentProps<TooltipValueType, string | number>;

/** A line chart's tooltip: the x position's title (a bar's time), then each line's value at it, in its colour. */
export function linesTooltip(titleAt: (x: number) => string, format: (value: number) => string) {
  return function LinesTooltip({ active, payload, label }: Props) {
    if (!active || !payload || payload.length === 0) return null;
    return (
      <div className="grid gap-0.5 rounded-md border bg-card px-2.5 py-1.5 text-xs shadow-sm">
        <span className="font-medium">{titleAt(Number(label))}</span>
        {payload.map((p) =>
          typeof p.value === "number" ? (
            <span key={String(p.dataKey)} style={{ color: p.color }}>
              {p.name}: {format(p.value)}
            </span>
          ) : null,
        )}
      </div>
    );
  };
}
