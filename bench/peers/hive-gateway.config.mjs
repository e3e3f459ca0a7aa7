// Peer config: @graphql-hive/gateway with in-flight deduplication of subgraph requests
// switched off (mode b of the benchmark), the setting the public benchmark's README names.
// Passed with `hive-gateway supergraph FILE -c bench/peers/hive-gateway.config.mjs`.
export const gatewayConfig = {
  transportEntries: {
    '*.http': { options: { deduplicateInflightRequests: false } },
  },
};
