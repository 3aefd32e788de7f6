/**
 * Audio devices: list inputs and outputs with labels, and resolve a persisted label to a device,
 * falling back to the system default when that device is gone. Labels (not ids) are what we
 * persist: Chromium's device ids change with the origin and profile, labels survive restarts.
 */

export interface AudioDevice {
  deviceId: string;
  label: string;
  /** The system-default entry (Chromium lists it as `default`, with a "Default - …" label). */
  isDefault: boolean;
}

export interface AudioDeviceList {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
}

/** What a label resolved to. `deviceId` undefined means "the system default". */
export interface DeviceResolution {
  deviceId: string | undefined;
  label: string | null;
  /** True when a label was asked for but no such device exists now. */
  fellBack: boolean;
}

function toDevice(info: MediaDeviceInfo): AudioDevice {
  return {
    deviceId: info.deviceId,
    label: info.label,
    isDefault: info.deviceId === 'default' || info.deviceId === '',
  };
}

export async function listAudioDevices(media: MediaDevices): Promise<AudioDeviceList> {
  const all = await media.enumerateDevices();
  return {
    inputs: all.filter((d) => d.kind === 'audioinput').map(toDevice),
    outputs: all.filter((d) => d.kind === 'audiooutput').map(toDevice),
  };
}

/** True when labels are hidden (no microphone permission granted yet). */
export function labelsHidden(list: AudioDeviceList): boolean {
  return [...list.inputs, ...list.outputs].some((d) => d.label === '');
}

/**
 * Finds the device with this label. A null/empty label means the default. The non-default entry
 * wins over the "Default - X" alias so the choice keeps pointing at X when the default changes.
 */
export function resolveDevice(devices: readonly AudioDevice[], label: string | null | undefined): DeviceResolution {
  if (!label) return { deviceId: undefined, label: null, fellBack: false };
  const exact = devices.find((d) => !d.isDefault && d.label === label) ?? devices.find((d) => d.label === label);
  if (exact) return { deviceId: exact.isDefault ? undefined : exact.deviceId, label, fellBack: false };
  return { deviceId: undefined, label: null, fellBack: true };
}
