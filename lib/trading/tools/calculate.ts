import { tool } from "ai";
import { all, create, type MathNode } from "mathjs";
import { type CalculateOutput, TOOL_DESCRIPTIONS } from "@/lib/agent/tool-contract";
import { parseToolInput, toolSchemas } from "./schemas";
import { ToolError } from "./errors";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";

/**
 * calculate: arithmetic for the model, evaluated by mathjs on a parsed expression tree, never `eval`.
 * Only numbers, arithmetic and comparison operators, a few constants and a whitelist of pure numeric
 * functions are allowed: no assignment, no ranges or matrices to allocate, no import/createUnit/parse.
 */

const math = create(all!, { number: "number" });

const FUNCTIONS = new Set([
  "abs", "sqrt", "cbrt", "exp", "log", "log10", "log2", "log1p", "pow", "round", "floor", "ceil", "fix", "sign",
  "min", "max", "mean", "median", "std", "variance", "sum", "prod", "mod", "hypot",
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
]);
const OPERATORS = new Set([
  "add", "subtract", "multiply", "divide", "pow", "mod", "unaryMinus", "unaryPlus",
  "larger", "smaller", "largerEq", "smallerEq", "equal", "unequal",
]);
const CONSTANTS = new Set(["pi", "e", "PI", "E", "Infinity"]);
const ALLOWED_NODES = new Set(["ConstantNode", "OperatorNode", "ParenthesisNode", "SymbolNode", "FunctionNode", "ArrayNode"]);
const MAX_ARRAY = 1_000;

function check(root: MathNode): void {
  root.traverse((node, _path, parent) => {
    if (!ALLOWED_NODES.has(node.type)) throw new ToolError("INVALID_EXPRESSION", `${describe(node.type)} is not allowed; use numbers, + - * / ^ % and functions such as sqrt, log, min, max, mean`);
    if (math.isOperatorNode(node) && !OPERATORS.has(node.fn)) throw new ToolError("INVALID_EXPRESSION", `the operator "${node.op}" is not allowed`);
    if (math.isArrayNode(node) && node.items.length > MAX_ARRAY) throw new ToolError("INVALID_EXPRESSION", `lists may hold at most ${MAX_ARRAY} numbers`);
    if (math.isConstantNode(node) && typeof node.value !== "number") throw new ToolError("INVALID_EXPRESSION", "only numbers are allowed (no strings)");
    if (math.isFunctionNode(node)) {
      if (!math.isSymbolNode(node.fn)) throw new ToolError("INVALID_EXPRESSION", "calling this is not allowed: only named functions such as sqrt(2)");
      if (!FUNCTIONS.has(node.fn.name)) throw new ToolError("INVALID_EXPRESSION", `unknown function "${node.fn.name}"; allowed: ${[...FUNCTIONS].join(", ")}`);
    }
    if (math.isSymbolNode(node)) {
      const isCallee = parent !== null && math.isFunctionNode(parent) && parent.fn === node;
      if (!isCallee && !CONSTANTS.has(node.name)) throw new ToolError("INVALID_EXPRESSION", `unknown name "${node.name}"; write the number instead`);
    }
  });
}

const describe = (type: string) => ({ AssignmentNode: "assignment", FunctionAssignmentNode: "defining functions", RangeNode: "a range (a:b)", IndexNode: "indexing", AccessorNode: "indexing", ObjectNode: "an object", BlockNode: "several statements", ConditionalNode: "a condition (?:)", RelationalNode: "chained comparison" })[type] ?? type;

/** Evaluates `expression` or throws a ToolError INVALID_EXPRESSION. */
export function evaluateExpression(expression: string): CalculateOutput["result"] {
  let root: MathNode;
  try {
    root = math.parse(expression);
  } catch (err) {
    throw new ToolError("INVALID_EXPRESSION", `cannot parse "${expression}": ${(err as Error).message}`);
  }
  check(root);
  let value: unknown;
  try {
    value = root.compile().evaluate({});
  } catch (err) {
    throw new ToolError("INVALID_EXPRESSION", (err as Error).message);
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "boolean") return String(value);
  return math.format(value, { precision: 14 });
}

export function createCalculateTool(rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.calculate,
    inputSchema: toolSchemas.calculate,
    execute: (input, { toolCallId }) =>
      rt.track("calculate", toolCallId, input, async (): Promise<CalculateOutput> => ({ result: evaluateExpression(parseToolInput("calculate", input).expression) })),
  });
}
