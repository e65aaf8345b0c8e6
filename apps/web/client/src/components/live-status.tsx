/** Polite announcements (saved, moved, loaded); always rendered so screen readers already watch it. */
export function LiveStatus({ message, visible = true }: { message: string | null; visible?: boolean }) {
  return (
    <p class={visible && message ? 'status' : 'visually-hidden'} role="status">
      {message}
    </p>
  );
}
