import type { Endpoint } from "./api.js";

/** The package version, shown as the document's `info.version`. */
export interface OpenApiOptions {
  readonly version: string;
  /** True when the service requires a bearer token. */
  readonly auth: boolean;
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(endpoint: Endpoint): object[] | undefined {
  const params = endpoint.params as { properties?: Record<string, object>; required?: string[] } | undefined;
  if (!params?.properties) return undefined;
  return Object.entries(params.properties).map(([name, schema]) => ({ name, in: "path", required: true, schema }));
}

/** Builds the OpenAPI 3.1 document from the endpoint table (request schemas are the validating ones). */
export function buildOpenApi(endpoints: readonly Endpoint[], options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(endpoint.responses)) {
      const contentType = response.contentType ?? "application/json";
      responses[status] = { description: response.description, content: { [contentType]: response.schema ? { schema: response.schema } : {} } };
    }
    const params = parameters(endpoint);
    const operation: Record<string, unknown> = {
      operationId: endpoint.operationId,
      summary: endpoint.summary,
      ...(params ? { parameters: params } : {}),
      ...(endpoint.body ? { requestBody: { required: true, content: { "application/json": { schema: endpoint.body } } } } : {}),
      responses,
      ...(options.auth && !endpoint.auth ? { security: [] } : {}),
    };
    (paths[openApiPath(endpoint.path)] ??= {})[endpoint.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "moe-router",
      version: options.version,
      description: "Routes task descriptions to expert agents through a cascade of layers; records outcomes; learns from corrections.",
    },
    paths,
    ...(options.auth ? { components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } }, security: [{ bearer: [] }] } : {}),
  };
}
