// Per device, not per account: the connection (and so the wish to save data) belongs to the device.
const keys = {
  audioOnly: 'lectern.player.audioOnly',
  rate: 'lectern.player.rate',
  volume: 'lectern.player.volume',
  captions: 'lectern.player.captions',
  largeCaptions: 'lectern.player.largeCaptions',
} as const;

export const PLAYBACK_RATES = [0.75, 1, 1.25, 1.5, 2] as const;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // Storage can be disabled (private mode, strict settings).
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembering a preference is harmless.
  }
}

export const preferences = {
  audioOnly: (): boolean => read(keys.audioOnly) === '1',
  setAudioOnly: (on: boolean) => write(keys.audioOnly, on ? '1' : '0'),
  rate: (): number => {
    const value = Number(read(keys.rate));
    return (PLAYBACK_RATES as readonly number[]).includes(value) ? value : 1;
  },
  setRate: (rate: number) => write(keys.rate, String(rate)),
  volume: (): number => {
    const raw = read(keys.volume);
    const value = raw === null ? NaN : Number(raw);
    return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 1;
  },
  setVolume: (volume: number) => write(keys.volume, String(volume)),
  /** The caption language last chosen ('zh-CN', 'en'), or null for captions off. */
  captions: (): string | null => read(keys.captions) || null,
  setCaptions: (lang: string | null) => write(keys.captions, lang ?? ''),
  largeCaptions: (): boolean => read(keys.largeCaptions) === '1',
  setLargeCaptions: (on: boolean) => write(keys.largeCaptions, on ? '1' : '0'),
};
