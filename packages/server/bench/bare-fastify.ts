/**
 * The peer of the serve benchmark: a bare fastify server with the same route, the same
 * request schema and a reply of about the same size, but no routing, no tracking, no
 * metrics and no logging. What `moe-router serve` costs over it is what the router adds;
 * what it costs itself is the floor that HTTP on this machine sets.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
const reply = JSON.stringify({
  master: "cicd-master",
  layer: "keyword",
  confidence: 0.9,
  event_id: "00000000-0000-4000-8000-000000000000",
  attempts: [
    {
      layer: "keyword",
      master: "cicd-master",
      confidence: 0.9,
      threshold: 0.85,
      threshold_source: "config",
      accepted: true,
      latency_ms: 0.01,
      details: { rule_used: "deployment", matched_keywords: ["deploy"] },
    },
  ],
  latency_ms: 0.02,
});
app.post(
  "/v1/route",
  {
    schema: {
      body: {
        type: "object",
        required: ["description"],
        additionalProperties: false,
        properties: { description: { type: "string", minLength: 1 }, id: { type: "string" }, metadata: { type: "object" }, priority: { type: "string" } },
      },
    },
  },
  async (_request, response) => response.type("application/json; charset=utf-8").send(reply),
);
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
process.stderr.write(`listening on http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}\n`);
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
