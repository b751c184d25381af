// The record builders live in the published test kit (`@moe-router/tracker/testing`).
export { daysAgo, decisionRecord, outcomeRecord, sampleDecision } from "../../src/testing/records.js";
