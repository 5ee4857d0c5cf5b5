/**
 * "Driven by: …" (SQL) of the trading_sessions row aliased `s`: for a session an outside agent drives, the name of
 * the model token that drives it ('an outside agent' when none is known); null for a session its model runs. One
 * expression for the viewer's cards, the leaderboard and the audit.
 */
export const drivenBySql = (s: string) =>
  `case when ${s}.driver = 'external' then coalesce((select t.name from model_tokens t where t.id = ${s}.driver_token_id and t.user_id = ${s}.user_id), 'an outside agent') end`;
