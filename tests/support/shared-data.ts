import fs from "node:fs";
import path from "node:path";

/** The shared real data set (/work/shared/data), next to the repository; never copied into it. */
export const SHARED_DATA_DIR = path.resolve(process.cwd(), "../shared/data");

export const HOURLY_FILE = "nasdaq100/hourly-2025-10-01_2025-11-10.jsonl";
export const DAILY_FILE = "nasdaq100/daily-2025-06-10_2025-10-30.jsonl";
export const QQQ_FILE = "nasdaq100/QQQ-hourly.json";
export const CRYPTO_FILE = "crypto-daily-2024-11-26_2025-11-16.jsonl";

/** Reads a file of the shared data set; fails loudly when the data set is not there. */
export function readSharedData(relative: string): string {
  const file = path.join(SHARED_DATA_DIR, relative);
  if (!fs.existsSync(file)) {
    throw new Error(`market test data missing: ${file}. Tests read the shared data set from ../shared/data relative to the repository root.`);
  }
  return fs.readFileSync(file, "utf8");
}
