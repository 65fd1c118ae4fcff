import { z } from 'zod';

export type Auth = 'none' | 'write' | 'secret' | 'admin';

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify-style path: `/v1/accounts/:accountId`. */
  url: string;
  summary: string;
  tags: string[];
  auth: Auth;
  querystring?: z.ZodType | undefined;
  params?: z.ZodType | undefined;
  body?: z.ZodType | undefined;
  response?: z.ZodType | undefined;
  /** Extra media types the operation answers with (e.g. NDJSON export). */
  produces?: string[] | undefined;
}

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  none: [],
  write: [{ writeKey: [] }, { writeKeyInBody: [] }],
  secret: [{ secretKey: [] }, { sessionCookie: [] }],
  admin: [{ adminToken: [] }],
};

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });
}

function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** Collects every route's zod schemas and renders them as one OpenAPI 3 document. */
export class OpenApiRegistry {
  private readonly operations: Operation[] = [];

  add(operation: Operation): void {
    this.operations.push(operation);
  }

  document(version: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations) {
      const path = op.url.replace(/:(\w+)/g, '{$1}');
      const content = (schema: z.ZodType | undefined, io: 'input' | 'output') =>
        schema ? { 'application/json': { schema: jsonSchema(schema, io) } } : undefined;
      const produced = Object.fromEntries((op.produces ?? []).map((type) => [type, {}]));
      paths[path] ??= {};
      paths[path][op.method.toLowerCase()] = {
        summary: op.summary,
        tags: op.tags,
        security: SECURITY[op.auth],
        parameters: [...parametersOf(op.params, 'path'), ...parametersOf(op.querystring, 'query')],
        ...(op.body ? { requestBody: { required: true, content: content(op.body, 'input') } } : {}),
        responses: {
          '200': { description: 'OK', content: { ...content(op.response, 'output'), ...produced } },
          default: { description: 'Error', content: content(errorBody, 'output') },
        },
      };
    }
    return {
      openapi: '3.0.3',
      info: {
        title: 'Tenure API',
        version,
        description: 'Ingestion (write key), query (secret key) and admin (operator token) API.',
      },
      components: {
        securitySchemes: {
          writeKey: { type: 'http', scheme: 'basic', description: 'Write key as the user name' },
          writeKeyInBody: {
            type: 'apiKey',
            in: 'query',
            name: 'writeKey',
            description: '`writeKey` in the JSON body (sendBeacon)',
          },
          secretKey: { type: 'http', scheme: 'bearer' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'tenure_session',
            description:
              'Workspace sign-in (POST /v1/auth/sign-in), with X-Tenure-Project; state changes also need X-CSRF-Token',
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'TENURE_ADMIN_TOKEN' },
        },
      },
      paths,
    };
  }
}
