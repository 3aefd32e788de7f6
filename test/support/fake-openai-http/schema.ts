/**
 * Validates request and response bodies against the JSON Schema generated from the openai SDK's
 * types (openai-http.schema.json, made by scripts/gen-openai-http-schema.ts from the roots in
 * wire-types.ts, patched per openai-http.patches.json).
 *
 * Unions whose members all carry a constant discriminator (`role` of a message, `type` of a
 * content part, tool or event) are checked against the one member that matches, so an error names
 * the field that is wrong (`messages.1.tool_call_id`) rather than every member of the union.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

const SCHEMA_ID = 'openai-http';
const schemaPath = join(dirname(fileURLToPath(import.meta.url)), 'openai-http.schema.json');

export type RequestKind = 'chat' | 'transcription' | 'speech';
export type ResponseKind =
  | 'chat'
  | 'chat.chunk'
  | 'transcription'
  | 'transcription.verbose'
  | 'transcription.event'
  | 'speech.event'
  | 'models'
  | 'model'
  | 'error';

/** One problem with a body, shaped like the service's invalid_request_error. */
export interface SchemaIssue {
  /** unknown_parameter | missing_required_parameter | invalid_value | invalid_type */
  code: string;
  /** Dotted path of the offending field, e.g. `messages.1.content`. */
  param: string;
  message: string;
}

type JsonObject = Record<string, unknown>;

function isRecord(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DISCRIMINATORS = ['type', 'role'] as const;

/**
 * Rewrites `anyOf: [$ref…]` into `oneOf` + ajv's `discriminator` where every member is an object
 * whose property `type` (or `role`) is one required constant, distinct across members.
 */
function addDiscriminators(defs: JsonObject): void {
  const resolve = (s: unknown): JsonObject | null => {
    if (!isRecord(s)) return null;
    const ref = s['$ref'];
    if (typeof ref === 'string') return resolve(defs[ref.replace('#/definitions/', '')]);
    return s;
  };
  const constOf = (s: JsonObject | null, key: string): string | null => {
    if (!s || s['type'] !== 'object') return null;
    const required = s['required'];
    if (!Array.isArray(required) || !required.includes(key)) return null;
    const props = s['properties'];
    const prop = isRecord(props) ? props[key] : undefined;
    const c = isRecord(prop) ? prop['const'] : undefined;
    return typeof c === 'string' ? c : null;
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!isRecord(node)) return;
    const union = node['anyOf'];
    if (Array.isArray(union) && union.length > 1 && union.every((b) => isRecord(b) && typeof b['$ref'] === 'string')) {
      for (const key of DISCRIMINATORS) {
        const values = union.map((b) => constOf(resolve(b), key));
        if (values.every((v) => v !== null) && new Set(values).size === values.length) {
          delete node['anyOf'];
          node['oneOf'] = union;
          node['discriminator'] = { propertyName: key };
          break;
        }
      }
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(defs);
}

const REQUEST_ROOTS: Record<RequestKind, string> = {
  chat: 'ChatCompletionCreateParamsNonStreaming',
  transcription: 'TranscriptionRequest',
  speech: 'SpeechRequest',
};
const RESPONSE_ROOTS: Record<ResponseKind, string> = {
  chat: 'ChatResponse',
  'chat.chunk': 'ChatChunk',
  transcription: 'TranscriptionResponse',
  'transcription.verbose': 'TranscriptionVerboseResponse',
  'transcription.event': 'TranscriptionEvent',
  'speech.event': 'SpeechEvent',
  models: 'ModelList',
  model: 'ModelResponse',
  error: 'ErrorResponse',
};

let ajvLoaded: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

function validator(root: string): ValidateFunction {
  const hit = compiled.get(root);
  if (hit) return hit;
  if (!ajvLoaded) {
    const schema: unknown = JSON.parse(readFileSync(schemaPath, 'utf8'));
    if (!isRecord(schema) || !isRecord(schema['definitions'])) throw new Error('openai-http.schema.json has no definitions');
    addDiscriminators(schema['definitions']);
    ajvLoaded = new Ajv({ allErrors: true, strict: false, discriminator: true });
    ajvLoaded.addSchema({ ...schema, $id: SCHEMA_ID });
  }
  const fn = ajvLoaded.getSchema(`${SCHEMA_ID}#/definitions/${root}`);
  if (!fn) throw new Error(`openai-http schema: cannot compile ${root}`);
  compiled.set(root, fn);
  return fn;
}

function paramOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const params = e.params as Record<string, unknown>;
  const extra =
    e.keyword === 'additionalProperties' ? params['additionalProperty'] : e.keyword === 'required' ? params['missingProperty'] : undefined;
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
    case 'discriminator': {
      const tag = (e.params as Record<string, unknown>)['tag'];
      const p = typeof tag === 'string' ? (param ? `${param}.${tag}` : tag) : param;
      return { code: 'invalid_value', param: p, message: `Invalid value for '${p}': not one of the supported values.` };
    }
    default:
      return { code: 'invalid_value', param, message: `Invalid value for '${param}': ${e.message ?? 'not allowed'}.` };
  }
}

/** Orders issues so the most telling one comes first (unknown field, missing field, then others; deeper paths first). */
function rank(i: SchemaIssue): number {
  const base = i.code === 'unknown_parameter' ? 0 : i.code === 'missing_required_parameter' ? 1 : i.code === 'invalid_value' ? 2 : 3;
  return base * 100 - i.param.split('.').length;
}

function check(root: string, body: unknown): SchemaIssue[] {
  const validate = validator(root);
  if (validate(body)) return [];
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const e of validate.errors ?? []) {
    // anyOf/oneOf summaries repeat what their members already said.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const issue = issueOf(e);
    const key = `${issue.code}|${issue.param}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  if (issues.length === 0) issues.push({ code: 'invalid_value', param: '', message: 'Invalid request body.' });
  return issues.sort((a, b) => rank(a) - rank(b));
}

/** Problems with a request body, most telling first; empty means valid. */
export function requestIssues(kind: RequestKind, body: unknown): SchemaIssue[] {
  if (!isRecord(body)) return [{ code: 'invalid_type', param: '', message: 'The request body must be a JSON object.' }];
  const root = kind === 'chat' && body['stream'] === true ? 'ChatCompletionCreateParamsStreaming' : REQUEST_ROOTS[kind];
  return check(root, body);
}

/** Problems with a response body or SSE event the fake is about to send (messages); empty means valid. */
export function responseIssues(kind: ResponseKind, body: unknown): string[] {
  return check(RESPONSE_ROOTS[kind], body).map((i) => (i.param ? `${i.message} (${i.param})` : i.message));
}
