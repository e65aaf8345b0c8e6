/** Always rendered so screen readers already watch the live region when a message appears. */
export function Alert({ message }: { message: string | null }) {
  return (
    <div class={message ? 'alert alert--shown' : 'alert'} role="alert">
      {message}
    </div>
  );
}
