import { defineProject, mergeConfig } from "vitest/config";
import shared from "../vitest.shared.js";

export default mergeConfig(shared, defineProject({ test: { name: "tools", include: ["test/**/*.test.ts", "*/test/**/*.test.ts"] } }));
