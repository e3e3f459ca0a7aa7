/**
 * Running a prepared plan: a Sequence runs its nodes one after the other, a Parallel all at
 * once, a Condition the branch its variable selects (`@skip`/`@include` on a whole fetch).
 * Every fetch writes into the request's response tree; nothing here throws for a source's
 * failure (fetch.ts turns those into errors and the rest of the plan goes on).
 */
import { runEntityFetch, runRootFetch } from './fetch.js';
import type { PreparedNode } from './prepare.js';
import type { TypeRelations } from './type-relations.js';
import type { RequestState } from './types.js';

/** Runs `node` and everything under it. */
export async function runNode(node: PreparedNode, state: RequestState, relations: TypeRelations): Promise<void> {
  switch (node.kind) {
    case 'fetch':
      return runRootFetch(node, state, relations);
    case 'entities':
      return runEntityFetch(node, state, relations);
    case 'sequence':
      for (const child of node.nodes) await runNode(child, state, relations);
      return;
    case 'parallel':
      await Promise.all(node.nodes.map((child) => runNode(child, state, relations)));
      return;
    case 'condition': {
      const branch = state.variables[node.variable] === true ? node.then : node.otherwise;
      if (branch) await runNode(branch, state, relations);
      return;
    }
  }
}
