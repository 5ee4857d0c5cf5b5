import { expect } from "vitest";
import { AppError } from "@/lib/errors";

/** The AppError `p` rejects with (the test fails when it resolves or rejects with anything else). */
export async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
