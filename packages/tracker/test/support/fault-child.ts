/**
 * A routing process for the exit fault tests:
 *   exit-next-turn <path> <n>   route n tasks (tracker on a JSONL store), then process.exit()
 *                               one event-loop turn later, without flush or close
 */
import { createCascade, lookupLayer } from "@moe-router/core";
import { createTracker, jsonlStore } from "../../src/index.js";

const [mode, path, countText] = process.argv.slice(2);
if (mode !== "exit-next-turn" || !path) throw new Error("usage: fault-child.ts exit-next-turn <path> <count>");
const tracker = createTracker({ store: jsonlStore({ path }) });
const cascade = createCascade({ layers: [{ layer: lookupLayer({ examples: [{ text: "deploy", expert: "cicd-master" }] }), threshold: 0.5 }], observers: [tracker] });
const count = Number(countText);
for (let i = 0; i < count; i++) cascade.routeSync({ description: i % 2 ? "deploy" : `task ${i}` });
// The writer's own setImmediate runs first and starts an asynchronous write; exit comes before it ends.
setImmediate(() => process.exit(0));
