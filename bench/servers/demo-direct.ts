/**
 * The demo workload's direct client, as a server: for each of the workload's operations it
 * makes the backend calls by hand (bench/demo/operations.ts) and answers with the same JSON a
 * gateway would, on keep-alive pools (undici for HTTP, one grpc-js channel for gRPC). Measured
 * like a gateway, it is the cost of the calls themselves.
 *
 *   node --import tsx bench/servers/demo-direct.ts --urls '{"products":"http://...",...}' --port N
 */
import { createServer, type IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import { connectBackends } from '../demo/clients.js';
import { DEMO_OPERATIONS } from '../demo/operations.js';

const { values } = parseArgs({ options: { urls: { type: 'string' }, port: { type: 'string' } } });
if (values.urls === undefined || values.port === undefined) {
  process.stderr.write("usage: demo-direct.ts --urls '{\"name\":\"url\"}' --port N\n");
  process.exit(2);
}
const { backends, close } = connectBackends(JSON.parse(values.urls) as Record<string, string>);

const byQuery = new Map(DEMO_OPERATIONS.map((operation) => [operation.query, operation]));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const server = createServer((req, res) => {
  void (async () => {
    let status = 200;
    let text: string;
    try {
      const { query } = JSON.parse(await readBody(req)) as { query?: unknown };
      const operation = typeof query === 'string' ? byQuery.get(query) : undefined;
      if (!operation) {
        // Readiness probes and unknown documents: this is not a GraphQL server.
        status = 400;
        text = JSON.stringify({ errors: [{ message: 'not one of the demo workload operations' }] });
      } else {
        text = JSON.stringify({ data: await operation.direct(backends) });
      }
    } catch (error) {
      status = 500;
      text = JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] });
    }
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  })();
});
server.keepAliveTimeout = 60_000;
server.listen(Number(values.port), '127.0.0.1');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void close().finally(() => process.exit(0));
  });
}
