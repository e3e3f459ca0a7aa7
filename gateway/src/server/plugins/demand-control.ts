/**
 * Pipeline step "demand control": each operation's estimated cost, from the graph's `@cost` /
 * `@listSize` (traffic/demand-control/), before the rate limit and before any backend call.
 * In `enforce` mode an operation over `demandControl.maxCost` is refused as a whole (400
 * `COST_ESTIMATED_TOO_EXPENSIVE`); in `measure` mode nothing is refused. Either way the
 * estimate is `operation.estimatedCost`, what the rate limit charges. A client that sends the
 * request extension `"cost": true` gets `extensions.cost` ({ estimated, actual, max, mode }),
 * the actual cost measured on the response; no one else pays for that walk.
 *
 * The cost is compiled once per document and operation; an operation whose cost no variable
 * changes costs a request one map lookup.
 */
import type { OperationDefinitionNode } from 'graphql';
import type { DemandControlConfig } from '../../config/types.js';
import { GatewayError } from '../../errors/index.js';
import { actualCost, compileOperation, estimateCost, type OperationCost } from '../../traffic/demand-control/index.js';
import type { GatewayPlugin, GraphQLParams } from '../plugin.js';
import type { GatewayState } from '../state.js';

/** Whether the client asked for `extensions.cost` (request extension `"cost": true`). */
function wantsCost(params: GraphQLParams): boolean {
  return params.extensions?.cost === true;
}

/** The demand-control plugin over the graph's cost model (`state.costs`, set by compose). */
export function demandControlPlugin(state: Pick<GatewayState, 'costs'>, settings: Required<DemandControlConfig>): GatewayPlugin {
  const { mode, maxCost, defaultListSize } = settings;
  if (mode === 'off') return { name: 'demand-control' };
  const enforce = mode === 'enforce';
  return {
    name: 'demand-control',
    onDocument(document, schema) {
      // Compiled when an operation of the document first runs, then kept with the document.
      const operations = new Map<OperationDefinitionNode, OperationCost>();
      return (operation) => {
        let cost = operations.get(operation.definition);
        if (cost === undefined) {
          cost = compileOperation(document, operation.definition, schema, { model: state.costs, defaultListSize });
          operations.set(operation.definition, cost);
        }
        const estimated = estimateCost(cost, operation.variables, enforce);
        if (typeof estimated === 'string') throw new GatewayError('BAD_USER_INPUT', estimated);
        operation.estimatedCost = estimated;
        if (enforce && estimated > maxCost) {
          throw new GatewayError(
            'COST_ESTIMATED_TOO_EXPENSIVE',
            `The operation's estimated cost is ${estimated}, over the maximum of ${maxCost} (demandControl.maxCost); ask for fewer items (first, limit) or fewer fields.`,
            { estimatedCost: estimated, maxCost },
          );
        }
        if (!wantsCost(operation.params)) return undefined;
        return (result) => {
          const actual = actualCost(cost, result.data, operation.variables, schema);
          result.extensions = { ...result.extensions, cost: { estimated, actual, max: maxCost, mode } };
        };
      };
    },
  };
}
