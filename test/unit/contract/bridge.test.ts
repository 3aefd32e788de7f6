import { describe, expect, it } from 'vitest';
import { createBridge } from '../../../preload/bridge.ts';
import { requestNames, type Status } from '../../../preload/contract.ts';
import { decodeChunk, encodeChunk } from '../../../preload/stream-codec.ts';
import { serveContract, type Handlers } from '../../../main/ipc/contract-server.ts';
import { memoryTransportPair } from '../../support/memory-transport.ts';

const status: Status = { state: 'idle', turnMode: 'hold', micMuted: false, message: null, apiKey: 'set', holdAvailable: true };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const fail = (): never => {
    throw new Error('not used in this test');
  };
  const base = Object.fromEntries(requestNames.map((name) => [name, fail])) as unknown as Handlers;
  return { ...base, getStatus: () => status, ...overrides };
}

function setup(options: { trusted?: boolean; overrides?: Partial<Handlers> } = {}) {
  const { renderer, main } = memoryTransportPair({ url: 'app://earshot/index.html', isMainFrame: true });
  const server = serveContract(main, handlers(options.overrides), { isTrustedSender: () => options.trusted ?? true });
  return { bridge: createBridge(renderer), server };
}

describe('the contract over a transport', () => {
  it('answers a request with the handler value, validated by the output schema', async () => {
    const { bridge } = setup();
    await expect(bridge.request.getStatus({})).resolves.toEqual(status);
  });

  it('rejects a malformed request before it reaches the handler, with a readable message', async () => {
    let called = false;
    const { bridge } = setup({
      overrides: {
        setTurnMode: () => {
          called = true;
          return status;
        },
      },
    });
    // @ts-expect-error — a mode the contract does not know
    await expect(bridge.request.setTurnMode({ mode: 'shout' })).rejects.toThrow(/setTurnMode/);
    expect(called).toBe(false);
  });

  it('refuses every request from an untrusted sender frame', async () => {
    const { bridge } = setup({ trusted: false });
    await expect(bridge.request.getStatus({})).rejects.toThrow(/untrusted sender/);
  });

  it('turns a handler exception into a rejected promise with its message, and keeps serving', async () => {
    const { bridge } = setup({
      overrides: {
        testApiKey: () => {
          throw new Error('The API key was refused (401). Check it in Settings.');
        },
      },
    });
    await expect(bridge.request.testApiKey({})).rejects.toThrow(/refused \(401\)/);
    await expect(bridge.request.getStatus({})).resolves.toEqual(status);
  });

  it('delivers events as validated payloads only, and refuses to emit an invalid one', () => {
    const { bridge, server } = setup();
    const seen: unknown[] = [];
    const off = bridge.on.status((payload) => seen.push(payload));
    server.emit('status', { ...status, state: 'listening' });
    off();
    server.emit('status', { ...status, state: 'speaking' });
    expect(seen).toEqual([{ ...status, state: 'listening' }]);
    // @ts-expect-error — not a state
    expect(() => server.emit('status', { ...status, state: 'dancing' })).toThrow();
  });

  it('carries audio both ways as binary PCM with its tag', () => {
    const { bridge, server } = setup();
    const pcm = new Int16Array([0, 1000, -1000, 32767, -32768]);
    const captured: { turnId: string; samples: number[] }[] = [];
    server.onCapture((turnId, data) => captured.push({ turnId, samples: Array.from(new Int16Array(data)) }));
    bridge.audio.sendCapture('turn-1', pcm.slice().buffer);
    expect(captured).toEqual([{ turnId: 'turn-1', samples: Array.from(pcm) }]);

    const played: { itemId: string; samples: number[] }[] = [];
    bridge.audio.onPlayback((itemId, data) => played.push({ itemId, samples: Array.from(new Int16Array(data)) }));
    server.sendPlayback('item_abc', pcm.slice().buffer);
    expect(played).toEqual([{ itemId: 'item_abc', samples: Array.from(pcm) }]);
  });

  it('refuses capture frames that are not whole PCM16 samples', () => {
    const { bridge } = setup();
    expect(() => bridge.audio.sendCapture('t', new ArrayBuffer(3))).toThrow(/PCM16/);
  });
});

describe('binary stream framing', () => {
  it('round-trips a chunk exactly', () => {
    const pcm = new Int16Array(480).map((_, i) => Math.round(Math.sin(i / 10) * 20000));
    const decoded = decodeChunk(encodeChunk({ stream: 'playback', tag: 'item_Ünïcode', data: pcm.buffer }));
    expect(decoded.stream).toBe('playback');
    expect(decoded.tag).toBe('item_Ünïcode');
    expect(Array.from(new Int16Array(decoded.data))).toEqual(Array.from(pcm));
  });

  it('rejects truncated or unknown frames', () => {
    expect(() => decodeChunk(new Uint8Array([9, 0]))).toThrow(/unknown stream/);
    expect(() => decodeChunk(new Uint8Array([1, 10, 65]))).toThrow(/shorter than its tag/);
    expect(() => decodeChunk(new Uint8Array([1, 0, 1, 2, 3]))).toThrow(/odd byte count/);
  });
});
