/**
 * A writer process for the crash and concurrency tests.
 *   ack <path>          append batches forever; after each flush print "ack <ids>" (acknowledged)
 *   bulk <path> <n>     append n decisions (flushing every 1,000), close, exit
 *   exit <path> <n>     append n decisions, then process.exit() without flush or close
 */
import { decisionToRecord, jsonlStore } from "../../src/index.js";
import { sampleDecision } from "./records.js";

const [mode, path, countText] = process.argv.slice(2);
if (!mode || !path) throw new Error("usage: append-child.ts ack|bulk|exit <path> [count]");
const store = jsonlStore({ path, rotate: { maxBytes: 2 * 2 ** 20 } });
const tag = `${process.pid}`;
let serial = 0;

function nextRecord() {
  serial++;
  return decisionToRecord(sampleDecision({ eventId: `${tag}-${serial}` }));
}

/** A lean keyword decision (~350 bytes), so the 100,000-record test stays quick. */
function leanRecord() {
  serial++;
  return decisionToRecord(
    sampleDecision({
      eventId: `${tag}-${serial}`,
      task: { description: `Deploy service ${serial} to production` },
      expert: "cicd-master",
      layer: "keyword",
      confidence: 0.9,
      probabilities: undefined,
      experiment: undefined,
      attempts: [{ layer: "keyword", expert: "cicd-master", confidence: 0.9, threshold: 0.85, accepted: true, latencyMs: 0.05 }],
    }),
  );
}

if (mode === "ack") {
  for (;;) {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const record = nextRecord();
      ids.push(record.event_id);
      store.append(record);
    }
    await store.flush();
    process.stdout.write(`ack ${ids.join(" ")}\n`);
  }
} else if (mode === "bulk") {
  const count = Number(countText);
  for (let i = 1; i <= count; i++) {
    store.append(leanRecord());
    if (i % 1_000 === 0) await store.flush();
  }
  await store.close();
  process.stdout.write(`done ${count}\n`);
} else if (mode === "exit") {
  const count = Number(countText);
  for (let i = 0; i < count; i++) store.append(nextRecord());
  process.exit(0);
}
