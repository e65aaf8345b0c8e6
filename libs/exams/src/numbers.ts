/** Rounds to 2 decimals, halves away from zero, without binary drift (1.005 → 1.01); never returns -0. */
export function round2(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const sign = value < 0 ? -1 : 1;
  const rounded = sign * Number(`${Math.round(Number(`${Math.abs(value)}e2`))}e-2`);
  return rounded === 0 ? 0 : rounded;
}

/** A score in integer hundredths (2.5 → 250), the unit every comparison and sum uses. */
export function toHundredths(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const sign = value < 0 ? -1 : 1;
  return sign * Math.round(Number(`${Math.abs(value)}e2`));
}

/** Hundredths back to a score (250 → 2.5). */
export function fromHundredths(hundredths: number): number {
  const value = hundredths / 100;
  return value === 0 ? 0 : value;
}
