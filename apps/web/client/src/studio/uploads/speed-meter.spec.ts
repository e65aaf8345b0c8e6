import { describe, expect, it } from '@jest/globals';
import { SpeedMeter } from './speed-meter.js';

describe('SpeedMeter', () => {
  it('needs a second of samples before it says anything', () => {
    const meter = new SpeedMeter();
    meter.add(0, 0);
    meter.add(50_000, 500);
    expect(meter.bytesPerSecond()).toBeNull();
  });

  it('averages over the last few seconds only', () => {
    const meter = new SpeedMeter();
    meter.add(0, 0);
    meter.add(10_000_000, 1000); // a fast first second…
    for (let s = 2; s <= 20; s += 1) meter.add(10_000_000 + (s - 1) * 100_000, s * 1000); // …then 100 kB/s
    expect(meter.bytesPerSecond()).toBeCloseTo(100_000, -3);
  });
});
