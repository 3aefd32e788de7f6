/**
 * The service's HTTP error bodies: `{ error: { message, type, param, code } }` (API reference,
 * "Error codes"; the openai SDK's APIError reads exactly these four fields). Message texts follow
 * what the service is known to send.
 */
import { maskKey } from '../fake-realtime/errors.ts';
import { requestIssues } from './schema.ts';
import type { RequestKind } from './schema.ts';

export interface HttpErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** An error the handlers throw or return: a status plus the body, and extra headers (retry-after). */
export class HttpError extends Error {
  readonly status: number;
  readonly body: HttpErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: HttpErrorBody, headers: Record<string, string> = {}) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

function invalid(message: string, param: string | null = null, code: string | null = null): HttpError {
  return new HttpError(400, { message, type: 'invalid_request_error', param, code });
}

const AUDIO_FORMATS = "['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']";

export const httpErrors = {
  missingApiKey: (): HttpError =>
    new HttpError(401, {
      message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      type: 'invalid_request_error',
      param: null,
      code: null,
    }),
  invalidApiKey: (key: string): HttpError =>
    new HttpError(401, {
      message: `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    }),
  notFound: (method: string, path: string): HttpError =>
    new HttpError(404, { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null }),
  modelNotFound: (model: string): HttpError =>
    new HttpError(404, { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' }),
  invalidJson: (): HttpError =>
    invalid("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)"),
  notMultipart: (): HttpError =>
    invalid("Invalid Content-Type header (application/json), expected multipart/form-data. (HINT: If you're using curl, you can pass -H 'Content-Type: multipart/form-data')"),
  schema: (message: string, param: string | null, code: string): HttpError => invalid(message, param, code),
  missingFile: (): HttpError => invalid("Missing required parameter: 'file'.", 'file', 'missing_required_parameter'),
  unsupportedFileFormat: (): HttpError => invalid(`Invalid file format. Supported formats: ${AUDIO_FORMATS}`, 'file', 'invalid_value'),
  corruptAudio: (detail: string): HttpError =>
    invalid(`Audio file might be corrupted or unsupported (${detail}).`, 'file', 'invalid_value'),
  audioTooShort: (seconds: number): HttpError =>
    invalid(`Audio file is too short. Minimum audio length is 0.1 seconds, but the file is ${seconds.toFixed(3)} seconds.`, 'file', 'audio_too_short'),
  streamUnsupported: (model: string): HttpError =>
    invalid(`Streaming is not supported for the ${model} model.`, 'stream', 'unsupported_value'),
  unsupportedForModel: (param: string, value: string, model: string): HttpError =>
    invalid(`Unsupported value: '${param}' does not support '${value}' with this model (${model}).`, param, 'unsupported_value'),
  stringTooLong: (param: string, max: number, got: number): HttpError =>
    invalid(`Invalid '${param}': string too long. Expected a string with maximum length ${max}, but got a string with length ${got} instead.`, param, 'string_above_max_length'),
  numberOutOfRange: (param: string, min: number, max: number, got: number): HttpError =>
    invalid(`Invalid '${param}': expected a value between ${min} and ${max}, but got ${got} instead.`, param, 'invalid_value'),
  emptyInput: (param: string): HttpError => invalid(`Invalid '${param}': string too short. Expected a string with minimum length 1, but got an empty string instead.`, param, 'string_below_min_length'),
  // Chat Completions: the conversation rules the service enforces beyond the schema.
  toolCallsWithoutAnswers: (index: number, ids: string[]): HttpError =>
    invalid(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${ids.join(', ')}`,
      `messages.[${index}].role`,
    ),
  toolWithoutCall: (index: number): HttpError =>
    invalid("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${index}].role`),
  // Seen from the service (and Azure) when stream_options comes with stream false or absent.
  streamOptionsWithoutStream: (): HttpError => invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options'),
  audioModalityUnsupported: (model: string): HttpError =>
    invalid(`This model does not support audio modalities: ${model}. Use an audio model such as gpt-audio or gpt-4o-audio-preview.`, 'modalities', 'invalid_value'),
  audioInputUnsupported: (index: number, model: string): HttpError =>
    invalid(`Invalid content type. input_audio is only supported by audio models, not ${model}.`, `messages.[${index}].content`, 'invalid_value'),
  audioParamMissing: (): HttpError =>
    invalid("Missing required parameter: 'audio'. It is required when 'modalities' includes 'audio'.", 'audio', 'missing_required_parameter'),
  streamAudioFormat: (format: string): HttpError =>
    invalid(`Unsupported value: 'audio.format' does not support '${format}' with stream=true. Supported values are: 'pcm16'.`, 'audio.format', 'unsupported_value'),
  audioIdUnknown: (index: number, id: string): HttpError =>
    invalid(`Audio with id ${id} not found.`, `messages.[${index}].audio.id`, 'invalid_value'),
  audioIdExpired: (index: number, id: string): HttpError =>
    invalid(`Audio with id ${id} has expired. Audio is available for reference in multi-turn conversations for 4 hours after it was generated.`, `messages.[${index}].audio.id`, 'invalid_value'),
  inputAudioUndecodable: (index: number, part: number, detail: string): HttpError =>
    invalid(`The audio data provided could not be decoded (${detail}).`, `messages.[${index}].content.[${part}].input_audio.data`, 'invalid_value'),
  // Faults.
  injected: (status: number, code: string | undefined, message: string | undefined, retryAfterS: number | undefined): HttpError => {
    const headers: Record<string, string> = {};
    if (retryAfterS !== undefined) headers['retry-after'] = String(retryAfterS);
    else if (status === 429) headers['retry-after'] = '1';
    const invalidRequest = (fallback: string, fallbackCode: string | null): HttpErrorBody => ({ message: message ?? fallback, type: 'invalid_request_error', param: null, code: code ?? fallbackCode });
    const serverError = (fallback: string): HttpErrorBody => ({ message: message ?? fallback, type: 'server_error', param: null, code: code ?? null });
    const defaults: Record<number, HttpErrorBody> = {
      400: invalidRequest('Bad request (injected).', null),
      401: invalidRequest('Incorrect API key provided: sk-inj****cted.', 'invalid_api_key'),
      403: invalidRequest('Project does not have access to this model.', 'model_not_found'),
      404: invalidRequest('The model does not exist or you do not have access to it.', 'model_not_found'),
      408: invalidRequest('Request timed out.', null),
      409: invalidRequest('Conflict (injected).', null),
      422: invalidRequest('Unprocessable request (injected).', null),
      429: { message: message ?? 'Rate limit reached for requests in organization org-fake on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 1s.', type: 'requests', param: null, code: code ?? 'rate_limit_exceeded' },
      500: serverError('The server had an error while processing your request. Sorry about that!'),
      502: serverError('Bad gateway.'),
      503: serverError('The engine is currently overloaded, please try again later.'),
      504: serverError('Gateway timeout.'),
    };
    const body = defaults[status] ?? { message: message ?? 'error', type: 'server_error', param: null, code: code ?? null };
    return new HttpError(status, body, headers);
  },
};

/** A request that failed the schema: answered 400 and recorded as a request-side schema error. */
export class SchemaRefusal extends Error {
  readonly kind: string;
  readonly body: unknown;
  readonly issues: string[];
  readonly error: HttpError;

  constructor(kind: string, body: unknown, issues: string[], error: HttpError) {
    super(error.message);
    this.kind = kind;
    this.body = body;
    this.issues = issues;
    this.error = error;
  }
}

/** Throws a SchemaRefusal (400, the first issue's message and param) when `body` fails the request schema of `kind`. */
export function assertValidRequest(kind: RequestKind, body: unknown): void {
  const issues = requestIssues(kind, body);
  const first = issues[0];
  if (first) throw new SchemaRefusal(kind, body, issues.map((i) => i.message), httpErrors.schema(first.message, first.param, first.code));
}
