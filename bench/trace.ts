/**
 * Reading a Chromium trace (CDP Tracing, with the sampling CPU profiler on): what each long task on the
 * page's main thread was made of. Used by `bench:viewer --profile`.
 */
import type { CDPSession } from "@playwright/test";

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, when the platform records it. */
  tdur?: number;
  tid: number;
  pid: number;
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> };
}

/** Timeline events, and the CPU profiler's samples (the only way to see which functions ran in a given task). */
export const TRACE_CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8.execute",
  "disabled-by-default-v8.cpu_profiler",
  "__metadata",
].join(",");

/** Only the tasks, with their wall and CPU time: cheap enough to leave on in every run. */
export const TASK_CATEGORIES = "toplevel,__metadata";

export async function startTrace(cdp: CDPSession, categories = TRACE_CATEGORIES): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: object[] }) => void events.push(...(e.value as TraceEvent[]));
  cdp.on("Tracing.dataCollected", onData);
  await cdp.send("Tracing.start", { categories, transferMode: "ReportEvents" });
  return async () => {
    const complete = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.end");
    await complete;
    cdp.off("Tracing.dataCollected", onData);
    return events;
  };
}

/** The renderer main thread that did the most work (the page's, not an extension's or a worker's). */
function mainThread(events: readonly TraceEvent[]): { pid: number; tid: number } | null {
  const mains = events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  let best: { pid: number; tid: number } | null = null;
  let most = -1;
  for (const m of mains) {
    const busy = events.reduce((s, e) => s + (e.pid === m.pid && e.tid === m.tid && e.name.endsWith("RunTask") ? (e.dur ?? 0) : 0), 0);
    if (busy > most) [best, most] = [{ pid: m.pid, tid: m.tid }, busy];
  }
  return best;
}

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface Sample {
  ts: number;
  frame: Frame;
}

/** The CPU profiler's samples on the main thread, each with its leaf function (self time). */
function samples(events: readonly TraceEvent[], thread: { pid: number; tid: number }): Sample[] {
  const out: Sample[] = [];
  const nodes = new Map<number, Frame>();
  const clock = new Map<string, number>();
  for (const e of events) {
    if (e.pid !== thread.pid) continue;
    if (e.name === "Profile" && e.id) clock.set(e.id, Number(e.args?.data?.startTime ?? e.ts));
    if (e.name !== "ProfileChunk" || !e.id) continue;
    const data = e.args?.data as { cpuProfile?: { nodes?: { id: number; callFrame: Frame }[]; samples?: number[] }; timeDeltas?: number[] };
    for (const n of data.cpuProfile?.nodes ?? []) nodes.set(n.id, n.callFrame);
    let t = clock.get(e.id) ?? e.ts;
    const ids = data.cpuProfile?.samples ?? [];
    ids.forEach((id, i) => {
      t += data.timeDeltas?.[i] ?? 0;
      const frame = nodes.get(id);
      if (frame) out.push({ ts: t, frame });
    });
    clock.set(e.id, t);
  }
  return out.sort((a, b) => a.ts - b.ts);
}

const frameName = (f: Frame) =>
  f.url ? `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}` : f.functionName || "(anonymous)";

/** What a trace event was about, in a few words (the listener's event type, the timer, the script). */
function detail(e: TraceEvent): string {
  const d = e.args?.data ?? {};
  if (e.name === "EventDispatch") return `${e.name}(${String(d.type)})`;
  if (e.name === "FunctionCall") return `${e.name}(${String(d.functionName || "anonymous")} ${String(d.url ?? "").split("/").pop()})`;
  if (e.name === "EvaluateScript" || e.name === "v8.compile") return `${e.name}(${String(d.url ?? "").split("/").pop()})`;
  return e.name;
}

export interface LongTaskReport {
  startMs: number;
  durationMs: number;
  /** CPU time the main thread got during the task; far below durationMs means it waited for a core. */
  cpuMs: number | null;
  /** Exclusive time by kind of work inside the task (Layout, ParseHTML, FunctionCall…). */
  parts: string[];
  /** Functions with the most self time in the task. */
  functions: string[];
}

/** Every task of at least `minMs` on the page's main thread, with what it spent its time on. */
export function explainLongTasks(events: readonly TraceEvent[], minMs = 50): LongTaskReport[] {
  const thread = mainThread(events);
  if (!thread) return [];
  const own = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === "X" && e.dur !== undefined);
  const tasks = outermostTasks(own).filter((e) => e.dur! >= minMs * 1000);
  const all = samples(events, thread);
  const first = own.reduce((m, e) => Math.min(m, e.ts), Infinity);
  return tasks.map((task) => {
    const end = task.ts + task.dur!;
    // Exclusive time by kind of work (Layout, UpdateLayoutTree, ParseHTML, FunctionCall…), nesting resolved
    // with a stack; the scheduler's own wrappers are left out.
    const inside = own
      .filter((e) => e !== task && !e.name.endsWith("RunTask") && e.ts >= task.ts && e.ts + e.dur! <= end)
      .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const parts = new Map<string, number>();
    const stack: { e: TraceEvent; children: number }[] = [];
    const close = (upTo: number) => {
      while (stack.length > 0 && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= upTo) {
        const { e, children } = stack.pop()!;
        parts.set(detail(e), (parts.get(detail(e)) ?? 0) + (e.dur! - children) / 1000);
        if (stack.length > 0) stack[stack.length - 1]!.children += e.dur!;
      }
    };
    for (const e of inside) {
      close(e.ts);
      stack.push({ e, children: 0 });
    }
    close(Infinity);
    const self = new Map<string, number>();
    let previous = task.ts;
    for (const s of all) {
      if (s.ts < task.ts || s.ts > end) continue;
      const name = frameName(s.frame);
      self.set(name, (self.get(name) ?? 0) + (s.ts - previous) / 1000);
      previous = s.ts;
    }
    const top = (m: Map<string, number>, n: number) =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, n).filter(([, ms]) => ms >= 1).map(([k, ms]) => `${Math.round(ms)} ms ${k}`);
    return { startMs: Math.round((task.ts - first) / 1000), durationMs: Math.round(task.dur! / 1000), cpuMs: task.tdur === undefined ? null : Math.round(task.tdur / 1000), parts: top(parts, 8), functions: top(self, 10) };
  });
}

/** Starting the sampling profiler stops the thread once (V8 interrupts it to log every function): tracing's own cost. */
const profilerStart = (r: LongTaskReport) => r.startMs < 200 && (r.parts[0] ?? "").includes("V8.InvokeApiInterruptCallbacks");

export function formatLongTasks(reports: readonly LongTaskReport[]): string {
  if (reports.length === 0) return "  none";
  return reports
    .map((r) => `  ${r.durationMs} ms at +${r.startMs} ms (CPU ${r.cpuMs ?? "?"} ms)${profilerStart(r) ? " (the CPU profiler starting: not the page's)" : ""}\n    parts: ${r.parts.join(", ") || "-"}\n    self:  ${r.functions.join("\n           ") || "-"}`)
    .join("\n");
}

/** The functions with the most self time on the page's main thread over the whole trace. */
export function topFunctions(events: readonly TraceEvent[], n = 12): string[] {
  const thread = mainThread(events);
  if (!thread) return [];
  const self = new Map<string, number>();
  let previous: number | null = null;
  for (const s of samples(events, thread)) {
    const name = frameName(s.frame);
    if (previous !== null) self.set(name, (self.get(name) ?? 0) + (s.ts - previous) / 1000);
    previous = s.ts;
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${Math.round(ms)} ms  ${k}`);
}

/** Time by trace-event name on the page's main thread (nested events are counted in their own rows too). */
export function timelineBreakdown(events: readonly TraceEvent[], n = 10): string[] {
  const thread = mainThread(events);
  const total = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== "X" || e.dur === undefined || e.name.endsWith("RunTask") || (thread && (e.tid !== thread.tid || e.pid !== thread.pid))) continue;
    total.set(e.name, (total.get(e.name) ?? 0) + e.dur / 1000);
  }
  return [...total].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${Math.round(ms)} ms  ${k}`);
}

/**
 * The scheduler's task events ("ThreadControllerImpl::RunTask", and "RunTask" inside it), outermost only:
 * what the Long Tasks API calls a task, the rendering of a frame included.
 */
function outermostTasks(own: readonly TraceEvent[]): TraceEvent[] {
  const tasks = own.filter((e) => e.ph === "X" && e.dur !== undefined && e.name.endsWith("RunTask")).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const out: TraceEvent[] = [];
  let until = -Infinity;
  for (const t of tasks) {
    if (t.ts < until) continue;
    until = t.ts + t.dur!;
    out.push(t);
  }
  return out;
}

/**
 * Wall and CPU time of the page's main thread in tasks (outermost tasks only), how many there were, and the
 * most CPU time one task got (the page's own work, whatever the machine's load).
 */
export function mainThreadBusy(events: readonly TraceEvent[]): { tasks: number; wallMs: number; cpuMs: number; maxTaskCpuMs: number } {
  const thread = mainThread(events);
  if (!thread) return { tasks: 0, wallMs: 0, cpuMs: 0, maxTaskCpuMs: 0 };
  const tasks = outermostTasks(events.filter((e) => e.pid === thread.pid && e.tid === thread.tid));
  const wall = tasks.reduce((s, t) => s + t.dur!, 0) / 1000;
  const cpu = tasks.reduce((s, t) => s + (t.tdur ?? 0), 0) / 1000;
  const maxCpu = tasks.reduce((m, t) => Math.max(m, t.tdur ?? 0), 0) / 1000;
  return { tasks: tasks.length, wallMs: Math.round(wall), cpuMs: Math.round(cpu), maxTaskCpuMs: Math.round(maxCpu) };
}

/** "65 ms (CPU 8 ms)" for each task: a task that got far less CPU than its length waited for a core. */
export function formatTaskTimes(reports: readonly LongTaskReport[]): string {
  return reports.map((r) => `${r.durationMs} ms (CPU ${r.cpuMs ?? "?"} ms)${profilerStart(r) ? " [profiler start]" : ""}`).join(", ") || "none";
}
