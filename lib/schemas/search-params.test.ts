import { describe, expect, it } from "vitest";
import { parseLeaderboardFilter } from "./leaderboard";
import { ownModelOnly } from "./search-params";

const id = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";

describe("URL filters", () => {
  it("keep the good values when one is bad, and name the bad one", () => {
    expect(parseLeaderboardFilter({ model: id, bars: "minute" })).toEqual({ filter: { model: id, bars: "minute" }, error: null });
    expect(parseLeaderboardFilter({ model: id, bars: "week" })).toEqual({ filter: { model: id }, error: "bars: Bars must be day, hour or minute" });
    expect(parseLeaderboardFilter({ model: "1 or 1=1", bars: "" })).toEqual({ filter: {}, error: "model: Model must be one of your models" });
  });

  it("leave out a model id that is not one of the user's models", () => {
    const other = "00000000-0000-4000-8000-000000000000";
    expect(ownModelOnly({ filter: { model: id, bars: "day" }, error: null }, [{ id }])).toEqual({ filter: { model: id, bars: "day" }, error: null });
    expect(ownModelOnly({ filter: { model: other, bars: "day" }, error: null }, [{ id }])).toEqual({
      filter: { model: undefined, bars: "day" },
      error: "model: Model must be one of your models",
    });
    expect(ownModelOnly({ filter: { model: other }, error: "page: Page must be a whole number from 1" }, []).error).toBe(
      "page: Page must be a whole number from 1; model: Model must be one of your models",
    );
  });
});
