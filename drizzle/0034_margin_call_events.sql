-- A bar's margin check (lib/trading/margin-call.ts): a margin call issued, or the shorts bought back when it was not met.
ALTER TYPE "public"."session_event_type" ADD VALUE IF NOT EXISTS 'margin_call';
