// ESLint (flat config) with typescript-eslint's type-aware rules, for every package and tools/.
// Run per package by the nx `lint` target (`pnpm lint`); formatting is prettier's (`pnpm format:check`).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const root = import.meta.dirname;

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/coverage/**", ".ci/out/**", ".nx/**", "**/assets/**", "deploy/**", "examples/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: {
      parserOptions: {
        // Each package's tests tsconfig covers src, test and bench; tools/ has its own.
        project: ["./packages/*/tsconfig.test.json", "./tools/tsconfig.json"],
        tsconfigRootDir: root,
      },
    },
    rules: {
      // Real findings worth failing on (beyond the recommended set).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "eqeqeq": ["error", "always"],
      // Turned off, with the reason:
      // - `void promise` marks a deliberate fire-and-forget (background writes, timers); the rule
      //   would also flag the `void` operator used that way.
      "@typescript-eslint/no-confusing-void-expression": "off",
      // - Messages interpolate numbers and unknown errors on purpose (`${count}`, `${error}`);
      //   every such value prints sensibly, and coded errors carry the structured data.
      "@typescript-eslint/restrict-template-expressions": "off",
      // - `async` methods without `await` implement promise-returning interfaces (Layer.route,
      //   EventStore.flush) so that a sync throw becomes a rejection, as the contract says.
      "@typescript-eslint/require-await": "off",
      // - Non-null assertions follow bounds checks that TypeScript cannot see with
      //   noUncheckedIndexedAccess (typed arrays, matrices in hot loops).
      "@typescript-eslint/no-non-null-assertion": "off",
      // - JSON from files and the network is `unknown`/`any` at the edge and validated by hand
      //   (config validation, record readers); the unsafe-* rules would flag each checked access.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      // - Messages quote unknown values on purpose (a bad option value, a driver's error code):
      //   the text says what was given, whatever it is.
      "@typescript-eslint/no-base-to-string": "off",
      // - Layers may be sync or async (MaybePromise): awaiting a value that may not be a promise,
      //   and `await null` to yield one turn, are deliberate.
      "@typescript-eslint/await-thenable": "off",
      // - An observer's onDecision may return a promise (backpressure, see core's contract) where
      //   a void callback is typed; passing async callbacks there is the design.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      // - Rejections pass on what was caught (unknown), unchanged.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true, allowThrowingAny: true }],
      // - Unions such as "completed" | "failed" | string document the known values for editors.
      "@typescript-eslint/no-redundant-type-constituents": "off",
      // - Terminal neutralisation matches control characters on purpose.
      "no-control-regex": "off",
    },
  },
  {
    // Tests and benchmarks: mocks return promises without awaiting, and vitest's expect(...).rejects is floating by design.
    files: ["**/test/**/*.ts", "**/bench/**/*.ts", "tools/**/*.ts"],
    rules: {
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/no-empty-function": "off",
      // Tests start promises to race them (concurrency, caching) and assert on them later.
      "@typescript-eslint/no-floating-promises": "off",
      // Chai-style property assertions (`expect(x).to.be.true`) read as expressions.
      "@typescript-eslint/no-unused-expressions": "off",
      "no-useless-assignment": "off",
    },
  },
  {
    // Config files, baselines scripts and plain JavaScript sit outside the tsconfigs: linted without type information.
    ...tseslint.configs.disableTypeChecked,
    files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/vitest.config.ts", "vitest.shared.ts", "vitest.config.ts", "tools/baselines/**"],
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly", performance: "readonly", setTimeout: "readonly", clearTimeout: "readonly", structuredClone: "readonly", fetch: "readonly", globalThis: "readonly" },
    },
  },
);
