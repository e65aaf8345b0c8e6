// node scripts/make-icons.mjs: draws the app's home-screen icons into apps/web/client/public/icons/.
// The PNGs are committed (small palette images, a few KB each), so building the web app needs no
// rasteriser; run this again after changing the artwork below. It needs ffmpeg built with librsvg
// (Debian's is), which the set-up installs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './setup-steps.mjs';

const PUBLIC = join(ROOT, 'apps/web/client/public');
const OUT = join(PUBLIC, 'icons');
// The colours of apps/web/client/src/styles.css: --primary and --focus-halo.
const PRIMARY = '#0b4a9e';
const ACCENT = '#ffd60a';

/**
 * An open book with a play button, on the primary colour. `rounded` leaves the corners transparent (an
 * icon shown as it is); without it the square is filled to the edge, for launchers that cut their own
 * shape (maskable, Apple). The artwork stays inside the central 80 % circle that maskable icons keep.
 */
const iconSvg = ({ rounded }) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  <rect width="512" height="512"${rounded ? ' rx="96"' : ''} fill="${PRIMARY}"/>
  <path fill="#fff" d="M248 178c-36-24-84-30-128-22v196c44-8 92-2 128 22z"/>
  <path fill="#fff" d="M264 178c36-24 84-30 128-22v196c-44-8-92-2-128 22z"/>
  <circle cx="256" cy="268" r="58" fill="${ACCENT}"/>
  <path fill="${PRIMARY}" d="M238 236v64l52-32z"/>
</svg>
`;

/** Rasterises `svgFile` to a `size`-pixel square palette PNG (few colours: flat art compresses to a few KB). */
function rasterise(svgFile, size, pngFile) {
  const palette =
    'split[a][b];[a]palettegen=max_colors=48:reserve_transparent=1:stats_mode=single[p];[b][p]paletteuse=dither=none:alpha_threshold=1';
  const args = ['-v', 'error', '-y', '-width', String(size), '-height', String(size), '-i', svgFile, '-frames:v', '1'];
  const result = spawnSync('ffmpeg', [...args, '-vf', palette, '-compression_level', '9', '-pred', 'mixed', pngFile], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`ffmpeg could not draw ${pngFile} (exit ${result.status}).`);
}

mkdirSync(OUT, { recursive: true });
const rounded = join(OUT, 'icon.svg');
writeFileSync(rounded, iconSvg({ rounded: true }));
const work = mkdtempSync(join(tmpdir(), 'lectern-icons-'));
const square = join(work, 'icon-square.svg');
writeFileSync(square, iconSvg({ rounded: false }));

rasterise(rounded, 192, join(OUT, 'icon-192.png'));
rasterise(rounded, 512, join(OUT, 'icon-512.png'));
rasterise(square, 512, join(OUT, 'icon-maskable-512.png'));
// At the site's root too, where iOS looks for it when a page names none.
rasterise(square, 180, join(PUBLIC, 'apple-touch-icon.png'));
rmSync(work, { recursive: true, force: true });
console.log(`Icons written to ${OUT} and ${PUBLIC}.`);
