// The throwaway PostgreSQL server now lives in tools/test-support so other packages' tests share it.
export * from "../../../../tools/test-support/postgres.js";
