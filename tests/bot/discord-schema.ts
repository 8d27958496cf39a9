/**
 * Validates the REST bodies the bot sent against Discord's own published OpenAPI 3.1 schema
 * (../shared/discord-api/openapi.json, JSON Schema 2020-12, so ajv's 2020 build), plus the limits the
 * schema leaves loose (content 2,000 characters, total embed text 6,000). The schema is reference data
 * outside the repo: `discordSchema()` returns undefined when it is absent, and tests skip with a reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { RecordedCall } from '../support/discord-server.js';

export const OPENAPI_PATH = join(import.meta.dirname, '..', '..', '..', 'shared', 'discord-api', 'openapi.json');
export const SCHEMA_SKIP_REASON = `Discord's OpenAPI schema is not at ${OPENAPI_PATH} (../shared is absent): schema validation skipped`;

interface Route {
  template: string;
  pattern: RegExp;
  params: number;
}

export interface DiscordSchema {
  /** Problems with one recorded call's body; [] when it validates (or has no body and needs none). */
  violations(call: RecordedCall): string[];
}

let cached: DiscordSchema | null | undefined;

export function discordSchema(): DiscordSchema | undefined {
  if (cached !== undefined) return cached ?? undefined;
  if (!existsSync(OPENAPI_PATH)) {
    cached = null;
    return undefined;
  }
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]{0,19})$/);
  for (const f of ['int32', 'int64', 'double', 'nonce', 'uri', 'date-time']) ajv.addFormat(f, true);
  ajv.addSchema({ ...doc, $id: 'discord-openapi' });
  const routes: Route[] = Object.keys(doc.paths).map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const validators = new Map<string, ReturnType<typeof ajv.compile> | null>();
  const validatorFor = (template: string, method: string) => {
    const key = `${method} ${template}`;
    if (!validators.has(key)) {
      const op = doc.paths[template]?.[method];
      const escaped = template.replace(/~/g, '~0').replace(/\//g, '~1');
      validators.set(key, op?.requestBody?.content?.['application/json'] ? ajv.compile({ $ref: `discord-openapi#/paths/${escaped}/${method}/requestBody/content/application~1json/schema` }) : null);
    }
    return validators.get(key)!;
  };
  cached = {
    violations(call) {
      const method = call.method.toLowerCase();
      const route = routes.filter((r) => r.pattern.test(call.path) && doc.paths[r.template][method]).sort((a, b) => a.params - b.params)[0];
      if (!route) return [`${call.method} ${call.path}: no such route in Discord's API`];
      const validate = validatorFor(route.template, method);
      const problems: string[] = [];
      if (!validate) {
        if (call.body !== null && call.body !== undefined && call.body !== '') problems.push(`${call.method} ${route.template} takes no JSON body`);
      } else if (!validate(call.body)) {
        problems.push(`${call.method} ${route.template}: ${ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 600)}`);
      }
      return problems.concat(limitViolations(call));
    },
  };
  return cached;
}

/** The limits Discord enforces that its schema leaves loose. */
function limitViolations(call: RecordedCall): string[] {
  const body = call.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const message = call.path.startsWith('/interactions/') ? body.data : body;
  if (!message || typeof message !== 'object') return [];
  const out: string[] = [];
  if (typeof message.content === 'string' && message.content.length > 2000) out.push(`content is ${message.content.length} > 2000 characters`);
  let total = 0;
  for (const e of message.embeds ?? []) {
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text?.length ?? 0) + (e.author?.name?.length ?? 0);
    for (const f of e.fields ?? []) total += (f.name?.length ?? 0) + (f.value?.length ?? 0);
  }
  if (total > 6000) out.push(`embed text totals ${total} > 6000 characters`);
  return out;
}
