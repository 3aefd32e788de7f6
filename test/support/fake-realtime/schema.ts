/**
 * Validates Realtime events against the JSON Schema generated from the openai SDK's types
 * (realtime-events.schema.json, made by scripts/gen-realtime-schema.ts, patched per
 * realtime-events.patches.json). An event is checked against the one union member whose
 * `type` matches, so errors name the field that is wrong rather than every union branch.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

const SCHEMA_ID = 'realtime-events';
const schemaPath = join(dirname(fileURLToPath(import.meta.url)), 'realtime-events.schema.json');

/** One problem with an event, shaped like the service's invalid_request_error. */
export interface SchemaIssue {
  /** unknown_parameter | missing_required_parameter | invalid_value | invalid_type */
  code: string;
  /** Dotted path of the offending field, e.g. `session.modalities`. */
  param: string;
  message: string;
}

interface Side {
  byType: Map<string, ValidateFunction>;
}

type Defs = Record<string, unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

let loaded: { client: Side; server: Side } | null = null;

function load(): { client: Side; server: Side } {
  if (loaded) return loaded;
  const schema: unknown = JSON.parse(readFileSync(schemaPath, 'utf8'));
  if (!isRecord(schema) || !isRecord(schema['definitions'])) throw new Error('realtime-events.schema.json has no definitions');
  const defs: Defs = schema['definitions'];
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema({ ...schema, $id: SCHEMA_ID });

  const side = (rootName: string): Side => {
    const byType = new Map<string, ValidateFunction>();
    const visit = (name: string): void => {
      const def = defs[name];
      if (!isRecord(def)) throw new Error(`schema: missing definition ${name}`);
      const union = def['anyOf'];
      if (Array.isArray(union)) {
        for (const branch of union) {
          const ref = isRecord(branch) ? branch['$ref'] : undefined;
          if (typeof ref === 'string') visit(ref.replace('#/definitions/', ''));
        }
        return;
      }
      const props = def['properties'];
      const typeProp = isRecord(props) ? props['type'] : undefined;
      const constType = isRecord(typeProp) ? typeProp['const'] : undefined;
      if (typeof constType !== 'string') throw new Error(`schema: ${name} has no constant type`);
      const fn = ajv.getSchema(`${SCHEMA_ID}#/definitions/${name}`);
      if (!fn) throw new Error(`schema: cannot compile ${name}`);
      byType.set(constType, fn);
    };
    visit(rootName);
    return { byType };
  };
  loaded = { client: side('RealtimeClientEvent'), server: side('RealtimeServerEvent') };
  return loaded;
}

function paramOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const params = e.params as Record<string, unknown>;
  const extra = e.keyword === 'additionalProperties' ? params['additionalProperty'] : e.keyword === 'required' ? params['missingProperty'] : undefined;
  if (typeof extra === 'string') return base ? `${base}.${extra}` : extra;
  return base;
}

function issueOf(e: ErrorObject): SchemaIssue {
  const param = paramOf(e);
  switch (e.keyword) {
    case 'additionalProperties':
      return { code: 'unknown_parameter', param, message: `Unknown parameter: '${param}'.` };
    case 'required':
      return { code: 'missing_required_parameter', param, message: `Missing required parameter: '${param}'.` };
    case 'type':
      return { code: 'invalid_type', param, message: `Invalid type for '${param}': ${e.message ?? 'wrong type'}.` };
    default:
      return { code: 'invalid_value', param, message: `Invalid value for '${param}': ${e.message ?? 'not allowed'}.` };
  }
}

/** Orders issues so the most telling one comes first (unknown field, missing field, then others). */
function rank(i: SchemaIssue): number {
  return i.code === 'unknown_parameter' ? 0 : i.code === 'missing_required_parameter' ? 1 : i.code === 'invalid_value' ? 2 : 3;
}

function check(sideName: 'client' | 'server', event: unknown): SchemaIssue[] {
  const side = load()[sideName];
  if (!isRecord(event)) return [{ code: 'invalid_type', param: '', message: 'Event must be a JSON object.' }];
  const type = event['type'];
  if (typeof type !== 'string') return [{ code: 'missing_required_parameter', param: 'type', message: "Missing required parameter: 'type'." }];
  const validate = side.byType.get(type);
  if (!validate) {
    return [{ code: 'invalid_value', param: 'type', message: `Invalid value: '${type}'. Supported values are: ${[...side.byType.keys()].map((t) => `'${t}'`).join(', ')}.` }];
  }
  if (validate(event)) return [];
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const e of validate.errors ?? []) {
    const issue = issueOf(e);
    const key = `${issue.code}|${issue.param}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues.sort((a, b) => rank(a) - rank(b));
}

/** Problems with a client event, most telling first; empty means valid. */
export function clientEventIssues(event: unknown): SchemaIssue[] {
  return check('client', event);
}

/** Problems with a server event, most telling first; empty means valid. */
export function serverEventIssues(event: unknown): SchemaIssue[] {
  return check('server', event);
}

/** Messages for a client event that fails the schema (empty array = valid). */
export function validateClientEvent(event: unknown): string[] {
  return clientEventIssues(event).map((i) => i.message);
}

/** Messages for a server event that fails the schema (empty array = valid). */
export function validateServerEvent(event: unknown): string[] {
  return serverEventIssues(event).map((i) => i.message);
}

/** Every event type the schema knows, per side. */
export function knownEventTypes(): { client: string[]; server: string[] } {
  const { client, server } = load();
  return { client: [...client.byType.keys()], server: [...server.byType.keys()] };
}
