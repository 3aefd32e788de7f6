/** The service's error payloads (message texts follow what the service is known to send). */

export interface ErrorBody {
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  event_id: string | null;
}

function err(code: string | null, message: string, eventId: string | null, param: string | null = null, type = 'invalid_request_error'): ErrorBody {
  return { type, code, message, param, event_id: eventId };
}

export function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 6)}${'*'.repeat(Math.max(4, key.length - 10))}${key.slice(-4)}`;
}

export const errors = {
  invalidApiKey: (key: string): ErrorBody =>
    err('invalid_api_key', `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, null),
  missingApiKey: (): ErrorBody =>
    err(null, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", null),
  missingModel: (): ErrorBody => err('missing_model', 'Missing required parameter: model.', null, 'model'),
  invalidJson: (): ErrorBody => err('invalid_json', "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", null),
  commitEmpty: (ms: number, eventId: string | null): ErrorBody =>
    err('input_audio_buffer_commit_empty', `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`, eventId),
  activeResponse: (responseId: string, eventId: string | null): ErrorBody =>
    err('conversation_already_has_active_response', `Conversation already has an active response in progress: ${responseId}. Wait until the response is finished before creating a new one.`, eventId),
  cancelNotActive: (eventId: string | null): ErrorBody => err('response_cancel_not_active', 'Cancellation failed: no active response found', eventId),
  truncateUnknown: (itemId: string, eventId: string | null): ErrorBody =>
    err('item_truncate_invalid_item_id', `Error truncating item: the item with id '${itemId}' does not exist.`, eventId, 'item_id'),
  truncateNotAudio: (eventId: string | null): ErrorBody => err('unsupported_content_type', 'Only model output audio messages can be truncated', eventId),
  truncateTooLong: (haveMs: number, askedMs: number, eventId: string | null): ErrorBody =>
    err('invalid_value', `Audio content of ${Math.floor(haveMs)}ms is already shorter than ${askedMs}ms`, eventId, 'audio_end_ms'),
  truncateContentIndex: (eventId: string | null): ErrorBody => err('invalid_value', 'Invalid content_index: only content_index 0 holds audio.', eventId, 'content_index'),
  deleteUnknown: (itemId: string, eventId: string | null): ErrorBody =>
    err('item_delete_invalid_item_id', `Error deleting item: the item with id '${itemId}' does not exist.`, eventId, 'item_id'),
  retrieveUnknown: (itemId: string, eventId: string | null): ErrorBody =>
    err('item_retrieve_invalid_item_id', `Error retrieving item: the item with id '${itemId}' does not exist.`, eventId, 'item_id'),
  /** Our wording (the service's exact text for a bad image was not available): a non-PNG/JPEG image_url. */
  invalidImage: (message: string, eventId: string | null): ErrorBody => err('invalid_value', message, eventId, 'item.content'),
  previousUnknown: (itemId: string, eventId: string | null): ErrorBody =>
    err('invalid_value', `Error adding item: the previous item with id '${itemId}' does not exist.`, eventId, 'previous_item_id'),
  duplicateItem: (itemId: string, eventId: string | null): ErrorBody =>
    err('item_already_exists', `Error adding item: an item with id '${itemId}' already exists.`, eventId, 'item.id'),
  unknownCallId: (callId: string, eventId: string | null): ErrorBody =>
    err('invalid_value', `No tool call found for function call output with call_id ${callId}.`, eventId, 'item.call_id'),
  webrtcOnly: (type: string, eventId: string | null): ErrorBody =>
    err('invalid_value', `${type} is only supported for WebRTC and SIP connections.`, eventId, 'type'),
  transcriptionModelRefused: (model: string, eventId: string | null): ErrorBody =>
    err('model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`, eventId, 'session.audio.input.transcription.model'),
  sessionExpired: (): ErrorBody => err('session_expired', 'Your session hit the maximum duration of 60 minutes.', null),
  rateLimited: (model: string, eventId: string | null): ErrorBody =>
    err('rate_limit_exceeded', `Rate limit reached for ${model} in organization org-fake on tokens per min (TPM): Limit 40000, Used 39500, Requested 1200. Please try again in 1.05s.`, eventId, null, 'tokens'),
};
