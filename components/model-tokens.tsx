"use client";
import { Check, Copy, KeyRound } from "lucide-react";
import { Dialog } from "radix-ui";
import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { createModelTokenAction, revokeModelTokenAction } from "@/app/(app)/models/actions";
import { Badge, Card } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Select } from "@/components/ui/select";
import { toTokenInput, whenOf } from "@/components/model-token-fields";
import { MODEL_TOKEN_MAX_DAYS, type ModelTokenStatus, type ModelTokenView } from "@/lib/schemas/model-token";

export interface TokenSessionOption {
  id: string;
  /** "prompt v2 · backtest day 2025-03-03 to 2025-03-07 · completed" */
  label: string;
}

type Errors = Partial<Record<"name" | "expiresInDays" | "sessionId" | "form", string>>;

const STATUS: Record<ModelTokenStatus, { text: string; className: string }> = {
  active: { text: "Active", className: "border-emerald-600/40 text-emerald-800 dark:text-emerald-300" },
  revoked: { text: "Revoked", className: "text-muted-foreground" },
  expired: { text: "Expired", className: "text-muted-foreground" },
};

/**
 * The model page's "API tokens" (docs/model-tokens.md): create one (name, optional expiry, optional session),
 * see it once with a copy button, list them with prefix, dates and status, revoke one after a confirmation.
 */
export function ModelTokens({ modelId, modelName, initial, sessions }: { modelId: string; modelName: string; initial: ModelTokenView[]; sessions: TokenSessionOption[] }) {
  const [tokens, setTokens] = useState(initial);
  const [values, setValues] = useState({ name: "", expiresInDays: "", sessionId: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, start] = useTransition();
  const sessionName = new Map(sessions.map((s) => [s.id, s.label]));
  const sessionOf = (t: ModelTokenView) => (t.sessionId ? (sessionName.get(t.sessionId) ?? t.sessionId) : "Any");

  const create = (e: FormEvent) => {
    e.preventDefault();
    start(async () => {
      const res = await createModelTokenAction(modelId, toTokenInput(values));
      if (!res.ok) {
        const fields = res.fieldErrors ?? {};
        setErrors({ name: fields.name, expiresInDays: fields.expiresInDays, sessionId: fields.sessionId, form: Object.keys(fields).length ? undefined : res.message });
        return;
      }
      setErrors({});
      setTokens(res.tokens);
      setShown({ name: res.created.name, token: res.created.token });
      setCopied(false);
      setValues({ name: "", expiresInDays: "", sessionId: "" });
    });
  };

  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.token);
      setCopied(true);
      toast.success("Token copied");
    } catch {
      toast.error("The browser did not allow copying: select the token and copy it yourself");
    }
  };

  return (
    <section aria-labelledby="tokens-heading" className="mt-2 grid gap-4 border-t pt-6">
      <div className="grid gap-1">
        <h2 id="tokens-heading" className="text-xl font-semibold">
          API tokens
        </h2>
        <p className="text-sm text-muted-foreground">
          A token lets an outside agent (Claude Desktop, Cursor, your own script) act as {modelName}, and only this model, with{" "}
          <code className="font-mono text-xs">Authorization: Bearer &lt;token&gt;</code>. Bind it to one session to keep it there.
        </p>
      </div>

      {shown && (
        <Card role="status" aria-labelledby="new-token-heading" className="grid gap-3 border-amber-500/60 bg-amber-50/60 dark:bg-amber-950/20">
          <p id="new-token-heading" className="font-semibold">
            Copy the token “{shown.name}” now: you will not see it again.
          </p>
          <p className="text-sm text-muted-foreground">Only a hash of it is stored. If you lose it, revoke it and create another.</p>
          <div className="flex flex-wrap items-center gap-2">
            <Input readOnly value={shown.token} aria-label="The new API token" className="min-w-0 flex-1 font-mono" onFocus={(e) => e.currentTarget.select()} data-testid="new-token" />
            <Button type="button" onClick={copy}>
              {copied ? <Check className="h-4 w-4" aria-hidden /> : <Copy className="h-4 w-4" aria-hidden />}
              {copied ? "Copied" : "Copy token"}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setShown(null)}>
              I have copied it
            </Button>
          </div>
        </Card>
      )}

      <Card>
        <form onSubmit={create} className="grid gap-4" aria-label="Create an API token" noValidate>
          <div className="grid gap-4 md:grid-cols-[2fr_1fr_2fr]">
            <Field id="token-name" label="Token name" error={errors.name} hint="What will use it, e.g. Claude Desktop">
              {(aria) => (
                <Input {...aria} value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} autoComplete="off" />
              )}
            </Field>
            <Field id="token-expiry" label="Expires after (days)" error={errors.expiresInDays} hint={`1 to ${MODEL_TOKEN_MAX_DAYS}; empty: never`}>
              {(aria) => (
                <Input
                  {...aria}
                  inputMode="numeric"
                  value={values.expiresInDays}
                  placeholder="never"
                  onChange={(e) => setValues({ ...values, expiresInDays: e.target.value })}
                  autoComplete="off"
                />
              )}
            </Field>
            <Field id="token-session" label="Session" error={errors.sessionId} hint="Any session of this model, or just one">
              {(aria) => (
                <Select {...aria} value={values.sessionId} onChange={(e) => setValues({ ...values, sessionId: e.target.value })}>
                  <option value="">Any session of this model</option>
                  {sessions.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          {errors.form && (
            <p role="alert" className="text-sm text-destructive">
              {errors.form}
            </p>
          )}
          <div>
            <Button type="submit" disabled={pending}>
              <KeyRound className="h-4 w-4" aria-hidden />
              {pending ? "Creating…" : "Create token"}
            </Button>
          </div>
        </form>
      </Card>

      {tokens.length === 0 ? (
        <Card className="text-center">
          <p className="font-medium">No API tokens yet</p>
          <p className="mt-1 text-sm text-muted-foreground">Create one above to connect an outside agent to this model.</p>
        </Card>
      ) : (
        <Card className="p-0">
          <ScrollRegion label="Token list" className="overflow-x-auto">
            <table className="w-full text-sm" aria-labelledby="tokens-heading">
              <thead className="whitespace-nowrap border-b text-left text-xs text-muted-foreground">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Token</th>
                  <th scope="col" className="px-4 py-2 font-medium">Session</th>
                  <th scope="col" className="px-4 py-2 font-medium">Created</th>
                  <th scope="col" className="px-4 py-2 font-medium">Last used</th>
                  <th scope="col" className="px-4 py-2 font-medium">Expires</th>
                  <th scope="col" className="px-4 py-2 font-medium">Status</th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} className="border-b last:border-0" data-testid="token-row">
                    <td className="max-w-48 truncate px-4 py-2 font-medium" title={t.name}>
                      {t.name}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2 font-mono text-xs">{t.prefix}…</td>
                    <td className="max-w-56 truncate px-4 py-2 text-muted-foreground" title={sessionOf(t)}>
                      {sessionOf(t)}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2 tabular-nums">{whenOf(t.createdAt, "")}</td>
                    <td className="whitespace-nowrap px-4 py-2 tabular-nums">{whenOf(t.lastUsedAt, "Never")}</td>
                    <td className="whitespace-nowrap px-4 py-2 tabular-nums">{whenOf(t.expiresAt, "Never")}</td>
                    <td className="px-4 py-2">
                      <Badge className={STATUS[t.status].className}>{STATUS[t.status].text}</Badge>
                    </td>
                    <td className="px-4 py-2 text-right">
                      {t.status !== "revoked" && <RevokeButton modelId={modelId} token={t} onRevoked={setTokens} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </Card>
      )}
    </section>
  );
}

function RevokeButton({ modelId, token, onRevoked }: { modelId: string; token: ModelTokenView; onRevoked: (tokens: ModelTokenView[]) => void }) {
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const revoke = () =>
    start(async () => {
      const res = await revokeModelTokenAction(modelId, token.id);
      if (!res.ok) {
        toast.error(res.message);
        return;
      }
      onRevoked(res.tokens);
      toast.success(`Revoked “${token.name}”`);
      setOpen(false);
    });
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button variant="outline" size="sm" className="text-destructive" aria-label={`Revoke ${token.name}`}>
          Revoke
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 grid w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 gap-4 rounded-lg border bg-card p-5 shadow-lg">
          <Dialog.Title className="text-lg font-semibold">Revoke “{token.name}”?</Dialog.Title>
          <Dialog.Description className="text-sm text-muted-foreground">
            Any agent using <span className="font-mono">{token.prefix}…</span> is refused from its next request. This cannot be undone.
          </Dialog.Description>
          <div className="flex flex-wrap justify-end gap-2">
            <Dialog.Close asChild>
              <Button variant="ghost">Keep it</Button>
            </Dialog.Close>
            <Button variant="destructive" onClick={revoke} disabled={pending}>
              Yes, revoke the token
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
