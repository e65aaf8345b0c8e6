interface ProgressBarProps {
  label: string;
  /** 0–100; null while the size of the work is not known yet. */
  percent: number | null;
  /** What a screen reader says instead of the bare number, e.g. "45%, 120 MB of 270 MB". */
  valueText?: string;
  tone?: 'upload' | 'process' | 'done' | 'problem';
}

export function ProgressBar({ label, percent, valueText, tone = 'upload' }: ProgressBarProps) {
  const value = percent === null ? null : Math.max(0, Math.min(100, percent));
  return (
    <div
      class={`progress progress--${tone}${value === null ? ' progress--unknown' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value === null ? undefined : Math.floor(value)}
      aria-valuetext={valueText}
    >
      <div class="progress__fill" style={{ width: `${value ?? 100}%` }} />
    </div>
  );
}
