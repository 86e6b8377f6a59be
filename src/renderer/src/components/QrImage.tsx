import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

const SIZE = 264;

/** Draws `value` as a QR code (a data: URL, which the page's CSP allows for images). */
export function QrImage({ value, alt, errorText, testId }: { value: string; alt: string; errorText: string; testId?: string }) {
  const [drawn, setDrawn] = useState<{ url: string | null } | null>(null);

  useEffect(() => {
    let current = true;
    QRCode.toDataURL(value, { width: SIZE, margin: 2, errorCorrectionLevel: 'M' }).then(
      (url) => {
        if (current) setDrawn({ url });
      },
      () => {
        if (current) setDrawn({ url: null });
      },
    );
    return () => {
      current = false;
    };
  }, [value]);

  // The previous code stays on screen the instant it takes to draw the next one.
  if (!drawn) return <div className="qr-image" aria-busy="true" />;
  if (!drawn.url) return <p className="error-note">{errorText}</p>;
  return (
    <img
      className="qr-image"
      src={drawn.url}
      alt={alt}
      width={SIZE}
      height={SIZE}
      data-testid={testId}
    />
  );
}
