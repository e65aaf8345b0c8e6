// Simple 24×24 outline icons; always decorative, the button's text or aria-label carries the meaning.
const paths = {
  play: 'M8 5v14l11-7z',
  pause: 'M7 5h4v14H7zM13 5h4v14h-4z',
  back: 'M11 18V6l-8.5 6zM20 18V6l-8.5 6z',
  forward: 'M4 18l8.5-6L4 6zm9 0l8.5-6L13 6z',
  volume: 'M4 9v6h4l5 4V5L8 9zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z',
  muted: 'M4 9v6h4l5 4V5L8 9zm12 0l5 6m0-6l-5 6',
  fullscreen: 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5',
  exitFullscreen: 'M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5',
  headphones: 'M4 15v-3a8 8 0 0 1 16 0v3M4 15h3v5H4zM17 15h3v5h-3z',
  download: 'M12 4v11m-5-5l5 5 5-5M5 20h14',
} as const;

export type IconName = keyof typeof paths;

const filled: readonly IconName[] = ['play', 'pause', 'back', 'forward'];

export function Icon({ name }: { name: IconName }) {
  const solid = filled.includes(name) || name === 'volume';
  return (
    <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path
        d={paths[name]}
        fill={solid ? 'currentColor' : 'none'}
        stroke={solid ? 'none' : 'currentColor'}
        stroke-width="2.2"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
