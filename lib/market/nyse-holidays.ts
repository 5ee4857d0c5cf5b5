/**
 * NYSE full closures and 13:00 early closes, 2024–2027, as published by NYSE Group
 * (2024 calendar of 2021-12-27; 2025–2027 calendar of 2024-11-08; 2026–2028 calendar of 2025-12-23)
 * plus the 2025-01-09 closure for the national day of mourning for President Carter.
 *
 * Observed-day rules (NYSE Rule 7.2): a holiday on a Sunday is observed on the Monday after; a holiday
 * on a Saturday is observed on the Friday before — except New Year's Day, when that Friday ends a year
 * (so Friday 2027-12-31 is a normal trading day, and 2028 observes no New Year holiday).
 * Early closes: the day before Independence Day when July 3 is a weekday and July 4 is not observed
 * on it, the day after Thanksgiving, and Christmas Eve when it is a weekday and not itself the
 * observed Christmas holiday.
 *
 * calendar.test.ts re-derives these dates from the rules and checks them against this table.
 */
export const FIRST_CALENDAR_YEAR = 2024;
export const LAST_CALENDAR_YEAR = 2027;

export const NYSE_CLOSED_DAYS: Readonly<Record<string, string>> = {
  "2024-01-01": "New Year's Day",
  "2024-01-15": "Martin Luther King, Jr. Day",
  "2024-02-19": "Washington's Birthday",
  "2024-03-29": "Good Friday",
  "2024-05-27": "Memorial Day",
  "2024-06-19": "Juneteenth",
  "2024-07-04": "Independence Day",
  "2024-09-02": "Labor Day",
  "2024-11-28": "Thanksgiving Day",
  "2024-12-25": "Christmas Day",

  "2025-01-01": "New Year's Day",
  "2025-01-09": "National Day of Mourning for President Jimmy Carter",
  "2025-01-20": "Martin Luther King, Jr. Day",
  "2025-02-17": "Washington's Birthday",
  "2025-04-18": "Good Friday",
  "2025-05-26": "Memorial Day",
  "2025-06-19": "Juneteenth",
  "2025-07-04": "Independence Day",
  "2025-09-01": "Labor Day",
  "2025-11-27": "Thanksgiving Day",
  "2025-12-25": "Christmas Day",

  "2026-01-01": "New Year's Day",
  "2026-01-19": "Martin Luther King, Jr. Day",
  "2026-02-16": "Washington's Birthday",
  "2026-04-03": "Good Friday",
  "2026-05-25": "Memorial Day",
  "2026-06-19": "Juneteenth",
  "2026-07-03": "Independence Day (observed)",
  "2026-09-07": "Labor Day",
  "2026-11-26": "Thanksgiving Day",
  "2026-12-25": "Christmas Day",

  "2027-01-01": "New Year's Day",
  "2027-01-18": "Martin Luther King, Jr. Day",
  "2027-02-15": "Washington's Birthday",
  "2027-03-26": "Good Friday",
  "2027-05-31": "Memorial Day",
  "2027-06-18": "Juneteenth (observed)",
  "2027-07-05": "Independence Day (observed)",
  "2027-09-06": "Labor Day",
  "2027-11-25": "Thanksgiving Day",
  "2027-12-24": "Christmas Day (observed)",
};

/** Sessions that close at 13:00 New York time. */
export const NYSE_EARLY_CLOSES: Readonly<Record<string, string>> = {
  "2024-07-03": "Day before Independence Day",
  "2024-11-29": "Day after Thanksgiving",
  "2024-12-24": "Christmas Eve",

  "2025-07-03": "Day before Independence Day",
  "2025-11-28": "Day after Thanksgiving",
  "2025-12-24": "Christmas Eve",

  "2026-11-27": "Day after Thanksgiving",
  "2026-12-24": "Christmas Eve",

  "2027-11-26": "Day after Thanksgiving",
};
