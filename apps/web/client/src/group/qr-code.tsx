import { useEffect, useState } from 'preact/hooks';

/** The dark modules of a QR symbol as one SVG path, one unit per module, inside a quiet zone of `margin`. */
export function qrPath(size: number, dark: (row: number, col: number) => boolean, margin = 4): string {
  let path = '';
  for (let row = 0; row < size; row += 1) {
    let col = 0;
    while (col < size) {
      if (!dark(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < size && dark(row, col)) col += 1;
      path += `M${start + margin} ${row + margin}h${col - start}v1h${start - col}z`;
    }
  }
  return path;
}

/** A QR code of `text` drawn as SVG (the encoder is loaded on first use and stays out of the main bundle). */
export function QrCode({ text, label, class: className }: { text: string; label: string; class?: string }) {
  const [symbol, setSymbol] = useState<{ size: number; path: string } | null>(null);
  useEffect(() => {
    let stale = false;
    void import('qrcode').then((module) => {
      if (stale) return;
      const { modules } = module.create(text, { errorCorrectionLevel: 'M' });
      const { size, data } = modules;
      setSymbol({ size, path: qrPath(size, (r, c) => data[r * size + c] === 1) });
    });
    return () => {
      stale = true;
    };
  }, [text]);
  const side = (symbol?.size ?? 25) + 8;
  return (
    <svg class={className} viewBox={`0 0 ${side} ${side}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={side} height={side} fill="#fff" />
      {symbol && <path d={symbol.path} fill="#000" />}
    </svg>
  );
}
