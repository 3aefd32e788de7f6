/**
 * The HTTP base URL and key header an endpoint setting stands for. OpenAI: api.openai.com (or an
 * override); compatible: the user's URL; Azure OpenAI: the resource's v1 API, keyed by `api-key`.
 */
import { DEFAULT_BASE_URL } from './api-key-check.ts';
import type { EndpointSettings } from './settings-schema.ts';

export interface ResolvedEndpoint {
  baseURL: string;
  auth: 'bearer' | 'api-key';
}

export function resolveEndpoint(endpoint: EndpointSettings): ResolvedEndpoint {
  switch (endpoint.kind) {
    case 'azure':
      return { baseURL: `https://${endpoint.azureResource ?? ''}.openai.azure.com/openai/v1`, auth: 'api-key' };
    case 'compatible':
      return { baseURL: (endpoint.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, ''), auth: 'bearer' };
    default:
      return { baseURL: (endpoint.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, ''), auth: 'bearer' };
  }
}
