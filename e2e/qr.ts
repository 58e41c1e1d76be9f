import jsQR from "jsqr";
import { PNG } from "pngjs";

/** The text of the QR code in a PNG screenshot, or null when there is none. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return jsQR(pixels, image.width, image.height)?.data ?? null;
}

/** The ticket id a scan URL carries; throws unless the path is exactly /m/scan/<id>. */
export function ticketIdOf(scanUrl: string): string {
  const id = /^\/m\/scan\/([A-Za-z0-9_-]{24})$/.exec(new URL(scanUrl).pathname)?.[1];
  if (!id) throw new Error(`not a scan URL: ${scanUrl}`);
  return id;
}

/**
 * The scan URL as this test machine reaches it: the QR holds the LAN address a
 * real phone would open; the tests' app listens on loopback only.
 */
export function onBase(scanUrl: string, base: string): string {
  const url = new URL(scanUrl);
  return new URL(`${url.pathname}${url.search}`, base).toString();
}
