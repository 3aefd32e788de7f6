/**
 * Recovers what it can from a settings object the schema rejects: every valid field is kept (down to
 * the fields of nested groups, the entries of lists and tool policies), every invalid one is reset to
 * its default and reported, unknown keys are reported as removed.
 */
import { z } from 'zod';
import { problemsFromZod, type SettingsProblem } from './settings-messages.ts';
import {
  ClipboardSchema,
  DevicesSchema,
  EndpointSchema,
  ScreenSchema,
  SETTINGS_KEYS,
  SETTINGS_VERSION,
  SettingsSchema,
  ToolPolicySchema,
  TranscriptionSchema,
  TruncationSchema,
  VadSchema,
  type Settings,
} from './settings-schema.ts';

export interface SalvageResult {
  settings: Settings;
  /** Fields that were reset to their default or removed, with the reason. */
  reset: SettingsProblem[];
}

type Data = Record<string, unknown>;
const isRecord = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value);

const GROUPS: Readonly<Record<string, z.ZodObject>> = {
  endpoint: EndpointSchema,
  vad: VadSchema,
  transcription: TranscriptionSchema,
  truncation: TruncationSchema,
  devices: DevicesSchema,
  clipboard: ClipboardSchema,
  screen: ScreenSchema,
};

function salvageGroup(key: string, schema: z.ZodObject, value: Data, reset: SettingsProblem[]): unknown {
  const kept: Data = {};
  for (const [subKey, subValue] of Object.entries(value)) {
    const subSchema = schema.shape[subKey];
    if (!subSchema) {
      reset.push({ field: `${key}.${subKey}`, problem: 'unknown setting, removed' });
      continue;
    }
    const parsed = subSchema.safeParse(subValue);
    if (parsed.success) kept[subKey] = subValue;
    else reset.push(...problemsFromZod(parsed.error, value, [subKey]).map((p) => ({ ...p, field: `${key}.${p.field}` })));
  }
  const whole = schema.safeParse(kept);
  if (whole.success) return whole.data;
  // A rule across fields (e.g. azure needs a resource): the group as a whole goes back to its defaults.
  reset.push(...problemsFromZod(whole.error, kept).map((p) => ({ field: `${key}.${p.field}`, problem: `${p.problem} (the whole "${key}" group was reset)` })));
  return schema.parse({});
}

const FolderSchema = SettingsSchema.shape.allowedFolders.unwrap().element;

function salvageList(value: unknown[], reset: SettingsProblem[]): string[] {
  const kept: string[] = [];
  value.forEach((entry, index) => {
    const parsed = FolderSchema.safeParse(entry);
    if (parsed.success) kept.push(parsed.data);
    else reset.push(...problemsFromZod(parsed.error, value, [index]).map((p) => ({ ...p, field: `allowedFolders.${p.field}`, problem: `${p.problem}, removed` })));
  });
  return kept.slice(0, 100);
}

const ToolNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

function salvagePolicies(value: Data, reset: SettingsProblem[]): Record<string, z.infer<typeof ToolPolicySchema>> {
  const kept: Record<string, z.infer<typeof ToolPolicySchema>> = {};
  for (const [name, policy] of Object.entries(value)) {
    const parsedPolicy = ToolPolicySchema.safeParse(policy);
    if (!ToolNameSchema.safeParse(name).success) reset.push({ field: `toolPolicies.${name}`, problem: 'is not a tool name, removed' });
    else if (!parsedPolicy.success) reset.push({ field: `toolPolicies.${name}`, problem: `must be one of "allow", "ask", "deny" (got ${JSON.stringify(policy)}), removed` });
    else kept[name] = parsedPolicy.data;
  }
  return kept;
}

export function salvageSettings(data: Data): SalvageResult {
  const reset: SettingsProblem[] = [];
  const result: Data = { version: SETTINGS_VERSION };
  const known = new Set<string>(SETTINGS_KEYS);

  for (const key of Object.keys(data)) {
    if (key !== 'version' && !known.has(key)) reset.push({ field: key, problem: 'unknown setting, removed' });
  }

  for (const key of SETTINGS_KEYS) {
    if (!(key in data) || data[key] === undefined) continue;
    const value = data[key];
    const parsed = SettingsSchema.shape[key].safeParse(value);
    if (parsed.success) {
      result[key] = parsed.data;
      continue;
    }
    const group = GROUPS[key];
    if (group && isRecord(value)) result[key] = salvageGroup(key, group, value, reset);
    else if (key === 'allowedFolders' && Array.isArray(value)) result[key] = salvageList(value, reset);
    else if (key === 'toolPolicies' && isRecord(value)) result[key] = salvagePolicies(value, reset);
    else reset.push(...problemsFromZod(parsed.error, data, [key]));
  }

  return { settings: SettingsSchema.parse(result), reset };
}
