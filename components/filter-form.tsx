import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";

export interface FilterField {
  name: string;
  label: string;
  value: string | undefined;
  /** The first option is "any" (value ""). */
  options: readonly (readonly [value: string, label: string])[];
  className?: string;
}

/**
 * A page's filters as a plain GET form: it works before hydration and without JavaScript, and a filtered
 * page is a URL that can be shared and reloaded. "Show all" appears while any filter is set.
 */
export function FilterForm({ label, action, fields, clearLabel }: { label: string; action: string; fields: readonly FilterField[]; clearLabel: string }) {
  const filtered = fields.some((f) => f.value);
  return (
    <form method="get" action={action} aria-label={label} className="flex flex-wrap items-end gap-3">
      {fields.map((f) => (
        <div key={f.name} className="grid gap-1.5">
          <label htmlFor={`filter-${f.name}`} className="text-sm font-medium">
            {f.label}
          </label>
          <Select id={`filter-${f.name}`} name={f.name} defaultValue={f.value ?? ""} className={f.className ?? "w-48"}>
            {f.options.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </Select>
        </div>
      ))}
      <Button type="submit" variant="outline">
        Filter
      </Button>
      {filtered && (
        <Link href={action} className="pb-2 text-sm text-primary underline">
          {clearLabel}
        </Link>
      )}
    </form>
  );
}

/** The `model` filter (dashboard, leaderboard): "All models", then every model, archived ones marked. */
export const modelField = (value: string | undefined, models: readonly { id: string; name: string; isActive: boolean }[]): FilterField => ({
  name: "model",
  label: "Model",
  value,
  options: [["", "All models"], ...models.map((m) => [m.id, m.isActive ? m.name : `${m.name} (archived)`] as const)],
  className: "w-56",
});

/** What a page left out of its URL's filters, and why ("status: Status must be one of …"); nothing when all were valid. */
export function IgnoredFilters({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="text-sm text-destructive">
      Some filters were not valid and were ignored: {error}
    </p>
  );
}
