/** `|value| × 100` rounded to an integer, reading the decimal digits so that 1.005 gives 101, not 100. */
function absHundredths(value: number): number {
  const abs = Math.abs(value);
  const text = String(abs);
  // Very small or very large numbers print with an exponent; plain multiplication is exact enough there.
  return text.includes('e') ? Math.round(abs * 100) : Math.round(Number(`${text}e2`));
}

/** Rounds to 2 decimals, halves away from zero, without binary drift (1.005 → 1.01); never returns -0. */
export function round2(value: number): number {
  return fromHundredths(toHundredths(value));
}

/** A score in integer hundredths (2.5 → 250), the unit every comparison and sum uses; 0 for NaN or ±∞. */
export function toHundredths(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const hundredths = (value < 0 ? -1 : 1) * absHundredths(value);
  return hundredths === 0 ? 0 : hundredths;
}

/** Hundredths back to a score (250 → 2.5). */
export function fromHundredths(hundredths: number): number {
  const value = hundredths / 100;
  return value === 0 ? 0 : value;
}
