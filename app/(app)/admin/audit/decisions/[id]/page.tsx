import type { Metadata } from "next";
import { ScrollRegion } from "@/components/ui/scroll-region";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, Card } from "@/components/ui/card";
import { OrderLives } from "@/components/session/order-lives";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { auditDecision } from "@/lib/services/admin-audit";

export const metadata: Metadata = { title: "Decision" };

interface ToolCall {
  id: string;
  name: string;
  input: unknown;
  ok: boolean;
  output?: unknown;
  error?: string;
}

const OUTCOME = { traded: "Traded", held: "Held", failed: "Failed" } as const;

export default async function DecisionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const { decision: d, modelName, userEmail, interval, orders, fills } = await auditDecision({ userId: user.id, claims: user.claims }, id).catch((err: unknown) => {
    if (err instanceof AppError && err.kind === "not_found") notFound();
    throw err;
  });
  const calls = (d.toolCalls as ToolCall[]) ?? [];
  return (
    <div className="grid gap-6">
      <div>
        <Link href="/admin/audit" className="text-sm text-primary underline">
          ← Trade audit
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">
          Decision at {d.clock.toISOString().replace("T", " ").slice(0, 16)} UTC
        </h1>
        <p className="text-sm text-muted-foreground">
          {userEmail} · {modelName} ({d.llm}) · session <span className="font-mono">{d.sessionId}</span>
        </p>
      </div>
      <div className="flex flex-wrap gap-2">
        <Badge className={d.outcome === "failed" ? "border-destructive text-destructive" : ""}>Outcome: {OUTCOME[d.outcome]}</Badge>
        <Badge>{d.steps} steps</Badge>
        <Badge>{d.latencyMs} ms</Badge>
        <Badge>
          {d.inputTokens ?? 0} in / {d.outputTokens ?? 0} out tokens
        </Badge>
        {d.costUsd !== null && <Badge>cost ${Number(d.costUsd).toFixed(4)}</Badge>}
      </div>
      {d.error && (
        <p role="alert" className="rounded-md border border-destructive p-3 text-sm text-destructive">
          Failed: {d.error}
        </p>
      )}
      <Card>
        <h2 className="mb-2 font-semibold">Model text</h2>
        <p className="whitespace-pre-wrap text-sm">{d.text || "(no text)"}</p>
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">Tool calls ({calls.length})</h2>
        <ol className="grid gap-3">
          {calls.map((c, i) => (
            <li key={c.id} className="rounded-md border p-3 text-sm">
              <p className="font-mono font-medium">
                {c.name} {c.ok ? "" : <span className="text-destructive">— Error</span>}
              </p>
              <ScrollRegion label={`Arguments of tool call ${i + 1} (${c.name})`} className="mt-1 overflow-x-auto rounded bg-muted">
                <pre className="p-2 text-xs">{JSON.stringify(c.input)}</pre>
              </ScrollRegion>
              {c.ok ? (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-muted-foreground">Result</summary>
                  <ScrollRegion label={`Result of tool call ${i + 1} (${c.name})`} className="mt-1 max-h-48 overflow-auto rounded bg-muted">
                    <pre className="p-2 text-xs">{JSON.stringify(c.output, null, 2)}</pre>
                  </ScrollRegion>
                </details>
              ) : (
                <ScrollRegion label={`Error of tool call ${i + 1} (${c.name})`} className="mt-1 max-h-48 overflow-auto rounded bg-destructive/10 text-destructive">
                  <pre className="whitespace-pre-wrap p-2 text-xs">Error: {c.error}</pre>
                </ScrollRegion>
              )}
            </li>
          ))}
        </ol>
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">Orders ({orders.length})</h2>
        {orders.length === 0 ? (
          <p className="text-sm text-muted-foreground">This decision placed no orders.</p>
        ) : (
          <OrderLives orders={orders} fills={fills} interval={interval} label="Orders of this decision" />
        )}
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">Prompt</h2>
        <p className="mb-2 text-xs text-muted-foreground">Instructions</p>
        <pre className="whitespace-pre-wrap break-words rounded bg-muted p-2 text-xs">{d.instructions}</pre>
        <p className="mb-2 mt-3 text-xs text-muted-foreground">Message</p>
        <pre className="whitespace-pre-wrap break-words rounded bg-muted p-2 text-xs">{d.prompt}</pre>
      </Card>
    </div>
  );
}
