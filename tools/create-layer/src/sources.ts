import { Project, VariableDeclarationKind, type SourceFile } from "ts-morph";
import { GENERATED_MARK, type LayerNames } from "./templates.js";

const header = `/* ${GENERATED_MARK}: a working skeleton that passes the conformance kit. Make it yours. */`;

/** Builds the layer's TypeScript sources with ts-morph; returns path -> text. */
export function layerSources(names: LayerNames): Record<string, string> {
  const project = new Project({ useInMemoryFileSystem: true });
  const files: SourceFile[] = [];

  const types = project.createSourceFile("src/types.ts", "");
  types.addStatements(header);
  types.addInterface({
    name: names.optionsType,
    isExported: true,
    docs: [`Options of {@link ${names.factory}}.`],
    properties: [
      { name: "terms", type: "Readonly<Record<string, readonly string[]>>", isReadonly: true, docs: ["Words that point at each expert (expert -> words)."] },
      { name: "confidence", type: "number", hasQuestionToken: true, isReadonly: true, docs: ["Confidence of a match, in [0,1]. Default 0.8."] },
      { name: "name", type: "string", hasQuestionToken: true, isReadonly: true, docs: [`Layer name. Default "${names.name}".`] },
      { name: "fallbackExpert", type: "string", hasQuestionToken: true, isReadonly: true, docs: ['Expert named when nothing matches (confidence 0). Default "coordinator-master".'] },
    ],
  });
  files.push(types);

  const layer = project.createSourceFile("src/layer.ts", "");
  layer.addStatements(header);
  layer.addImportDeclaration({ moduleSpecifier: "@moe-router/core", isTypeOnly: true, namedImports: ["Layer", "LayerEnvironment", "Verdict"] });
  layer.addImportDeclaration({ moduleSpecifier: "@moe-router/core/kit", namedImports: ["defineLayer", "fallbackExpertOption", "type FilledOptions"] });
  layer.addImportDeclaration({ moduleSpecifier: "./types.js", isTypeOnly: true, namedImports: [names.optionsType] });
  layer.addFunction({
    name: "tokens",
    parameters: [{ name: "text", type: "string" }],
    returnType: "Set<string>",
    statements: "return new Set(text.toLowerCase().split(/[^\\p{L}\\p{N}]+/u).filter(Boolean));",
  });
  layer.addStatements([
    "/** The options: known keys, types, ranges and defaults. The kit refuses anything else with a coded error. */",
    "const OPTIONS = {",
    '  terms: { type: "object", required: true, description: "expert -> words", check: (terms: Record<string, unknown>) => (Object.values(terms).every((words) => Array.isArray(words) && words.every((w) => typeof w === "string")) ? undefined : \'must map experts to words, e.g. { "cicd-master": ["deploy"] }.\') },',
    '  confidence: { type: "number", min: 0, max: 1, default: 0.8 },',
    `  name: { type: "string", default: "${names.name}" },`,
    "  fallbackExpert: fallbackExpertOption,",
    "} as const;",
    "",
    `function build(options: FilledOptions<${names.optionsType}, typeof OPTIONS>): Layer {`,
    "  const { confidence, fallbackExpert } = options;",
    "  const index = new Map<string, string>();",
    "  for (const [expert, words] of Object.entries(options.terms)) for (const word of words) index.set(word.toLowerCase(), expert);",
    "  return {",
    "    name: options.name,",
    "    capabilities: { deterministic: true },",
    "    route(task): Verdict {",
    "      const matched: string[] = [];",
    "      let expert: string | undefined;",
    "      for (const token of tokens(task.description)) {",
    "        const hit = index.get(token);",
    "        if (hit !== undefined && (expert === undefined || expert === hit)) { expert = hit; matched.push(token); }",
    "      }",
    "      return expert === undefined",
    "        ? { expert: fallbackExpert, confidence: 0, details: { matched } }",
    "        : { expert, confidence, details: { matched } };",
    "    },",
    "  };",
    "}",
    "",
    `const definition = defineLayer<${names.optionsType}>()({ name: "${names.name}", options: OPTIONS, build });`,
  ]);
  layer.addFunction({
    name: names.factory,
    isExported: true,
    docs: ["Creates the layer. Throws MOE_INVALID_CONFIG / MOE_UNKNOWN_OPTION for bad options."],
    parameters: [{ name: "options", type: names.optionsType }],
    returnType: "Layer",
    statements: "return definition.factory(options);",
  });
  layer.addFunction({
    name: "createLayer",
    isExported: true,
    docs: ["Config-file entry point (core's LayerModule): the same checks, paths resolved from the environment."],
    parameters: [
      { name: "options", type: "unknown" },
      { name: "environment", type: "LayerEnvironment" },
    ],
    returnType: "Layer",
    statements: "return definition.createLayer(options, environment);",
  });
  files.push(layer);

  const index = project.createSourceFile("src/index.ts", "");
  index.addStatements(header);
  index.addExportDeclaration({ moduleSpecifier: "./layer.js", namedExports: [names.factory, "createLayer"] });
  index.addExportDeclaration({ moduleSpecifier: "./types.js", isTypeOnly: true, namedExports: [names.optionsType] });
  files.push(index);

  const conformance = project.createSourceFile("test/conformance.test.ts", "");
  conformance.addStatements(header);
  conformance.addImportDeclaration({ moduleSpecifier: "vitest", namedImports: ["describe", "it"] });
  conformance.addImportDeclaration({ moduleSpecifier: "@moe-router/core/testing", namedImports: ["layerConformance"] });
  conformance.addImportDeclaration({ moduleSpecifier: "../src/index.js", namedImports: [names.factory] });
  conformance.addStatements(`layerConformance({ describe, it }, () => ${names.factory}({ terms: { "cicd-master": ["deploy"], "security-master": ["audit"] } }));`);
  files.push(conformance);

  const behaviour = project.createSourceFile("test/layer.test.ts", "");
  behaviour.addStatements(header);
  behaviour.addImportDeclaration({ moduleSpecifier: "vitest", namedImports: ["describe", "expect", "it"] });
  behaviour.addImportDeclaration({ moduleSpecifier: "../src/index.js", namedImports: [names.factory] });
  behaviour.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name: "layer", initializer: `${names.factory}({ terms: { "cicd-master": ["deploy"] }, confidence: 0.9 })` }],
  });
  behaviour.addStatements([
    `describe("${names.factory}", () => {`,
    '  it("routes a matching task with the configured confidence", () => {',
    '    expect(layer.route({ description: "Deploy the API" }, { eventId: "t" })).toMatchObject({ expert: "cicd-master", confidence: 0.9 });',
    "  });",
    '  it("answers with confidence 0 when nothing matches", () => {',
    '    expect(layer.route({ description: "Plan the offsite" }, { eventId: "t" })).toMatchObject({ confidence: 0 });',
    "  });",
    '  it("rejects a confidence outside [0,1]", () => {',
    `    expect(() => ${names.factory}({ terms: {}, confidence: 2 })).toThrowError(expect.objectContaining({ code: "MOE_INVALID_CONFIG", message: expect.stringContaining('option "confidence" must be a number >= 0 and <= 1') }));`,
    "  });",
    '  it("rejects a misspelt option", () => {',
    `    expect(() => ${names.factory}({ terms: {}, confidnce: 2 } as never)).toThrowError(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));`,
    "  });",
    "});",
  ]);
  files.push(behaviour);

  return Object.fromEntries(files.map((f) => [f.getFilePath().replace(/^\//, ""), f.getFullText()]));
}
