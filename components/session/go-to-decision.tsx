"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { findDecision } from "@/lib/viewer/find-decision";
import type { DecisionSummary } from "@/lib/viewer/types";

/**
 * "Go to" a decision by New York time (a replay: "11:00" on its day) or by day (a backtest), among the
 * decisions the feed shows; `onFound` opens it there. Says so when there is none.
 */
export function GoToDecision({ decisions, day, onFound }: { decisions: readonly DecisionSummary[]; day: string | null; onFound: (id: string) => void }) {
  const [value, setValue] = useState("");
  const [message, setMessage] = useState("");
  const byTime = day !== null;
  const go = (e: React.FormEvent) => {
    e.preventDefault();
    if (!value) return setMessage(byTime ? "Enter a time, such as 11:00" : "Enter a day");
    const found = findDecision(decisions, byTime ? { day, time: value } : { day: value });
    if (!found) return setMessage(byTime ? `No decision at or before ${value} here` : `No decision on ${value} or after it here`);
    setMessage("");
    onFound(found.id);
  };
  return (
    <form onSubmit={go} aria-label="Go to a decision" className="flex flex-wrap items-center gap-2">
      <label htmlFor="go-to-decision" className="text-sm">
        {byTime ? "Go to time (New York)" : "Go to day"}
      </label>
      <Input id="go-to-decision" type={byTime ? "time" : "date"} value={value} onChange={(e) => setValue(e.target.value)} className="h-8 w-36" />
      <Button type="submit" variant="outline" size="sm">
        Go
      </Button>
      <p role="status" className="text-sm text-muted-foreground">
        {message}
      </p>
    </form>
  );
}
