/** One figure of a report's summary, inside a `<dl class="stat-grid">`. */
export function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
