export { buildDecisionPrompt, DESK_RULES, PROMPT_CLOSES, PROMPT_SYMBOLS, type DecisionPromptInput } from "./prompt";
export { costOf, type TokenUsage } from "./cost";
export { buildToolCallRecords, recordedOutput, type ToolCallRecord } from "./records";
export {
  classify,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_STEPS,
  DEFAULT_TIMEOUT_MS,
  formatDuration,
  runDecision,
  type DecisionError,
  type DecisionRun,
  type RunDecisionOptions,
} from "./run-decision";
