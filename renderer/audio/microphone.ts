/** Opening and closing the microphone with the user's processing settings. */

export interface CaptureConstraints {
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

export async function openMicrophone(
  media: MediaDevices,
  deviceId: string | undefined,
  constraints: CaptureConstraints,
): Promise<MediaStream> {
  return media.getUserMedia({
    audio: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      echoCancellation: constraints.echoCancellation,
      noiseSuppression: constraints.noiseSuppression,
      autoGainControl: constraints.autoGainControl,
      channelCount: { ideal: 1 },
    },
    video: false,
  });
}

/** Stops every track so the OS microphone indicator goes off. */
export function closeMicrophone(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The label of the device a stream actually uses. */
export function streamLabel(stream: MediaStream): string {
  return stream.getAudioTracks()[0]?.label ?? '';
}
