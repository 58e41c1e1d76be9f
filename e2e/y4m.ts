import { PNG } from "pngjs";

/**
 * A PNG as a Y4M video (YUV 4:2:0, full range, a few identical frames) that
 * Chromium plays as a fake camera (`--use-file-for-fake-video-capture`): the
 * phone's camera pointed at the desktop's own screenshot.
 */
export function pngToY4m(png: Buffer, frames = 2): Buffer {
  const image = PNG.sync.read(png);
  const w = image.width & ~1;
  const h = image.height & ~1;
  const px = (x: number, y: number) => {
    const i = (y * image.width + x) * 4;
    return [image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0] as const;
  };
  const Y = Buffer.alloc(w * h);
  const U = Buffer.alloc((w * h) / 4);
  const V = Buffer.alloc((w * h) / 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = px(x, y);
      Y[y * w + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  for (let y = 0; y < h; y += 2) {
    for (let x = 0; x < w; x += 2) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const [pr, pg, pb] = px(x + dx, y + dy);
        r += pr / 4;
        g += pg / 4;
        b += pb / 4;
      }
      const i = (y / 2) * (w / 2) + x / 2;
      U[i] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      V[i] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), Y, U, V]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
