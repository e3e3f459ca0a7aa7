/**
 * Demand control: an operation's cost estimated from the graph's `@cost` / `@listSize`
 * (model.ts, read once at compose), compiled once per document (compile.ts), computed per
 * request and measured after execution (evaluate.ts). docs/demand-control.md.
 */
export { costModelFromSources, costModelFromSupergraph, EMPTY_COST_MODEL, type CostModel, type ListSizeRule } from './model.js';
export { compileOperation, type CompileSettings, type OperationCost, type Variables } from './compile.js';
export { actualCost, estimateCost } from './evaluate.js';
