import { quoteCut } from "@/lib/engine/instrument";
import { closeOfSessionOpeningAt, sessionOf } from "./calendar";
import { MarketDataError } from "./errors";
import { parseDay } from "./time";
import type { Interval } from "./types";

const ISO_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The UTC start (epoch ms) of a CSV `time` cell, or a message saying why it is not acceptable.
 * Times are ISO 8601 with 'Z' or an offset; a time without a zone is refused, never guessed.
 * Day bars start at the NYSE session open: write that instant, or just the date ('2025-10-30').
 */
export function csvStart(cell: string, interval: Interval): number | string {
  const text = cell.trim();
  if (interval === "day" && parseDay(text)) return dayStart(text);
  const m = ISO_RE.exec(text);
  const day = m?.[1];
  if (!m || day === undefined || !parseDay(day)) {
    return `time ${quoteCut(cell)} is not an ISO 8601 time such as 2025-10-30T15:00:00-04:00 or 2025-10-30T19:00:00Z`;
  }
  const zone = m[6];
  if (zone === undefined) {
    return `time ${quoteCut(cell)} has no zone: add 'Z' or an offset such as -04:00 (Bullpen never guesses a time zone)`;
  }
  const [hh, mm, ss] = [Number(m[2]), Number(m[3]), m[4] === undefined ? 0 : Number(m[4])];
  if (hh > 23 || mm > 59 || ss > 59) return `time ${quoteCut(cell)} is not a valid time of day`;
  const offset = zone.toUpperCase() === "Z" ? "Z" : normaliseOffset(zone);
  if (offset === null) return `time ${quoteCut(cell)} has an invalid zone offset ${zone}`;
  const ms = Date.parse(`${day}T${m[2]}:${m[3]}:${String(ss).padStart(2, "0")}${m[5] ?? ""}${offset}`);
  if (Number.isNaN(ms)) return `time ${quoteCut(cell)} is not a valid instant`;
  if (ms % 60_000 !== 0) return `time ${quoteCut(cell)}: bar starts must be whole minutes`;
  if (interval === "day") {
    try {
      if (closeOfSessionOpeningAt(new Date(ms)) === null) {
        return `time ${quoteCut(cell)}: a day bar starts at the NYSE session open (09:30 New York, e.g. 2025-10-30T09:30:00-04:00) or is written as a date (2025-10-30)`;
      }
    } catch (e) {
      if (e instanceof MarketDataError) return e.message;
      throw e;
    }
  }
  return ms;
}

function normaliseOffset(zone: string): string | null {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return `${m[1]}${m[2]}:${String(minutes).padStart(2, "0")}`;
}

function dayStart(day: string): number | string {
  try {
    const session = sessionOf(day);
    return session ? session.open.getTime() : `${day} is not an NYSE trading day (weekend or holiday)`;
  } catch (e) {
    if (e instanceof MarketDataError) return e.message;
    throw e;
  }
}
