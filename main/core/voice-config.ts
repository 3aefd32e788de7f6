/** Maps the user's settings onto what the voice core and the tool layer run on. */
import { resolveEndpoint } from '../settings/endpoint-url.ts';
import type { EndpointSettings, Settings } from '../settings/settings-schema.ts';
import type { ToolHostUpdate } from '../tools/create-tool-host.ts';
import type { ToolPolicy } from '../tools/ports.ts';
import type { TruncationConfig, VoiceConfig } from '../voice/config.ts';
import { VoiceConfigSchema } from '../voice/config.ts';

export function voiceConfigFromSettings(settings: Settings, holdAvailable: boolean): VoiceConfig {
  const turnMode = settings.turnMode === 'hold' && !holdAvailable ? 'toggle' : settings.turnMode;
  const vad = settings.vad;
  return VoiceConfigSchema.parse({
    engine: settings.engine,
    cascaded: settings.cascaded,
    chatAudio: settings.chatAudio,
    model: settings.model,
    reasoningEffort: settings.reasoningEffort,
    voice: settings.voice,
    speed: settings.speechSpeed,
    instructions: settings.instructions,
    turnMode,
    handsFree:
      vad.type === 'server_vad'
        ? { type: 'server_vad', threshold: vad.threshold, prefixPaddingMs: vad.prefixPaddingMs, silenceDurationMs: vad.silenceDurationMs }
        : { type: 'semantic_vad', eagerness: vad.eagerness },
    transcription: {
      model: settings.transcription.model,
      ...(settings.transcription.language ? { language: settings.transcription.language } : {}),
      ...(settings.transcription.keywords.length ? { keywords: settings.transcription.keywords } : {}),
      ...(settings.transcription.languages.length ? { languages: settings.transcription.languages } : {}),
    },
    truncation: truncationFromSettings(settings.truncation),
    noiseReduction: settings.noiseReduction === 'off' ? null : settings.noiseReduction,
    maxOutputTokens: settings.maxOutputTokens,
    micWarmMs: Math.round(settings.micWarmSeconds * 1000),
  });
}

/** The model(s) an engine runs with, as the tray and the figures name them. */
export function engineModelLabel(settings: Settings): string {
  if (settings.engine === 'cascaded') {
    const c = settings.cascaded;
    return `${c.transcribe.model} → ${c.chat.model} → ${c.speech.model}`;
  }
  if (settings.engine === 'chat-audio') return settings.chatAudio.model;
  return settings.model;
}

function truncationFromSettings(t: Settings['truncation']): TruncationConfig {
  if (t.mode !== 'retention_ratio') return t.mode;
  return { type: 'retention_ratio', retentionRatio: t.retentionRatio, ...(t.postInstructionsTokens !== null ? { postInstructionsTokens: t.postInstructionsTokens } : {}) };
}

export function toolOptionsFromSettings(settings: Settings): Required<Pick<ToolHostUpdate, 'roots' | 'policies' | 'clipboardRead'>> {
  const policies: Record<string, ToolPolicy> = { ...settings.toolPolicies };
  policies.write_clipboard = settings.clipboard.write === 'allow' ? 'allow' : (policies.write_clipboard ?? 'ask');
  if (settings.clipboard.readEnabled) policies.read_clipboard = policies.read_clipboard === 'deny' ? 'ask' : (policies.read_clipboard ?? 'allow');
  else policies.read_clipboard = 'deny';
  return { roots: settings.allowedFolders, policies, clipboardRead: settings.clipboard.readEnabled };
}

export interface ConnectionEndpoint {
  baseURL: string;
  auth: 'bearer' | 'api-key';
  /** Azure OpenAI: the resource endpoint and deployment the Realtime client connects to. */
  azure?: { endpoint: string; deployment: string; apiVersion?: string };
}

/**
 * Where the session and the "test key" action connect: the endpoint setting, except that plain
 * OpenAI without an override follows OPENAI_BASE_URL when the environment sets it.
 */
export function connectionEndpoint(endpoint: EndpointSettings, environmentBaseURL: string | undefined): ConnectionEndpoint {
  const resolved = resolveEndpoint(endpoint);
  const baseURL = endpoint.kind === 'openai' && !endpoint.baseURL && environmentBaseURL ? environmentBaseURL : resolved.baseURL;
  const azure =
    endpoint.kind === 'azure' && endpoint.azureResource && endpoint.azureDeployment
      ? {
          endpoint: `https://${endpoint.azureResource}.openai.azure.com`,
          deployment: endpoint.azureDeployment,
          ...(endpoint.azureApiVersion ? { apiVersion: endpoint.azureApiVersion } : {}),
        }
      : undefined;
  return { baseURL, auth: resolved.auth, ...(azure ? { azure } : {}) };
}
