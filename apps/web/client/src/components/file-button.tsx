import { useId } from 'preact/hooks';

interface FileButtonProps {
  label: string;
  /** Read by screen readers instead of the visible label, e.g. naming the lecture. */
  ariaLabel?: string;
  accept: string;
  onFile(file: File): void;
  primary?: boolean;
  describedBy?: string;
}

/** A native file input (keyboard and screen-reader friendly) that looks like one of our big buttons. */
export function FileButton({ label, ariaLabel, accept, onFile, primary, describedBy }: FileButtonProps) {
  const id = useId();
  return (
    <span class="file-button">
      <input
        id={id}
        class="file-button__input"
        type="file"
        accept={accept}
        aria-label={ariaLabel}
        aria-describedby={describedBy}
        onChange={(event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          // Cleared so that choosing the same file again (to resume) fires another change.
          input.value = '';
          if (file) onFile(file);
        }}
      />
      <label for={id} class={primary ? 'button button--primary' : 'button'}>
        {label}
      </label>
    </span>
  );
}
