/**
 * The `order` event's payload (SQL) from a row of `orders` named `o`: one shape for a bar's orders (RECORD_BAR),
 * a session's end (working-orders.ts) and a person's cancel (order-cancel-requests.ts), so the viewer's table of
 * working orders (lib/viewer/working-orders.ts) folds each the same. Money as text, never a JSON number.
 */
export const orderEventPayload = (o: string) => `jsonb_build_object(
    'id', ${o}.id, 'decisionId', ${o}.decision_id, 'symbol', ${o}.symbol, 'side', ${o}.side, 'quantity', ${o}.quantity,
    'status', ${o}.status, 'filledQuantity', ${o}.filled_quantity, 'referencePrice', ${o}.reference_price::text,
    'rejectCode', ${o}.reject_code, 'rejectMessage', ${o}.reject_message, 'placedAt', ${o}.placed_at,
    'type', ${o}.type, 'timeInForce', ${o}.time_in_force, 'orderClass', ${o}.order_class, 'leg', ${o}.leg, 'parentId', ${o}.parent_order_id,
    'limitPrice', ${o}.limit_price::text, 'stopPrice', ${o}.stop_price::text, 'trailPrice', ${o}.trail_price::text,
    'trailPercent', ${o}.trail_percent::text, 'waterMark', ${o}.water_mark::text, 'triggered', ${o}.triggered,
    'triggeredAt', ${o}.triggered_at, 'endedAt', ${o}.ended_at, 'ocoId', ${o}.oco_order_id, 'statusReason', ${o}.status_reason,
    'replacesId', ${o}.replaces_order_id, 'replacedById', ${o}.replaced_by_order_id)`;

/**
 * After a CTE `moved` of `orders` rows just changed (`returning *`; $1 the session, $2 its owner), the CTEs that
 * record them: `n` numbers them in placement order, `s` moves the session's event_seq past them, `e` writes an
 * `order` event each (a session's end, a person's cancel).
 */
export const orderEventsAfter = (moved: string) => `n as (
  select row_number() over (order by ${moved}.created_at, ${moved}.id) as k, ${moved}.* from ${moved}
), s as (
  update trading_sessions set event_seq = event_seq + (select count(*) from n), updated_at = now()
  where id = $1 and user_id = $2 and exists (select 1 from n)
  returning event_seq - (select count(*) from n) as base
), e as (
  insert into session_events (session_id, user_id, seq, type, at, payload)
  select $1, $2, s.base + n.k, 'order', null, ${orderEventPayload("n")} from s cross join n
)`;
