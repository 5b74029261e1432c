"use client";
import { QRCodeSVG } from "qrcode.react";

/** A QR code of `value` for printing on packaging; high error correction survives scuffs. */
export function QrCode({ value, label }: { value: string; label: string }) {
  return (
    <figure className="qr">
      <QRCodeSVG value={value} size={160} level="H" marginSize={2} title={label} />
      <figcaption className="muted">
        <small>{value}</small>
      </figcaption>
    </figure>
  );
}
