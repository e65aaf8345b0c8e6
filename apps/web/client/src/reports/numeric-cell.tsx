import type { ComponentChildren } from 'preact';

/** A right-aligned figure in a report table; `label` heads it in the stacked phone layout. */
export function NumericCell({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <td role="cell" class="numeric" data-label={label}>
      {children}
    </td>
  );
}
