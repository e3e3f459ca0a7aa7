// Peer: @apollo/gateway behind @apollo/server's standalone HTTP server, as Apollo documents
// it, serving a supergraph file. Started by the runner as its own process:
//   node bench/peers/apollo-gateway.mjs --supergraph FILE --port N
// Plain JavaScript so that the root type check never needs the peers installed.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const { values } = parseArgs({
  options: { supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
});
if (!values.supergraph || !values.port) {
  console.error('usage: node apollo-gateway.mjs --supergraph FILE --port N [--host H]');
  process.exit(2);
}

const gateway = new ApolloGateway({ supergraphSdl: readFileSync(values.supergraph, 'utf8') });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(values.port), host: values.host } });
console.log(`@apollo/gateway ready at ${url}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void server.stop().finally(() => process.exit(0));
  });
}
