import { useEffect, useState } from 'preact/hooks';
import { qrPath } from './group-logic.js';

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
