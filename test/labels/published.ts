/*
 * Published sheet geometry from /work/shared/NOTES.md ("Label sheet geometry"), typed in
 * again here so the project's own template table is checked against it, not against itself.
 */
export const IN = 72
export const MM = 72 / 25.4

export interface PublishedSheet {
  unit: number
  w: number
  h: number
  nx: number
  ny: number
  left: number
  top: number
  dx: number
  dy: number
}

export const PUBLISHED: Record<string, PublishedSheet> = {
  '5160': { unit: IN, w: 2.625, h: 1, nx: 3, ny: 10, left: 0.15625, top: 0.5, dx: 2.78125, dy: 1 },
  '5163': { unit: IN, w: 4, h: 2, nx: 2, ny: 5, left: 0.1625, top: 0.5, dx: 4.1875, dy: 2 },
  L7160: { unit: MM, w: 63.99, h: 38.1, nx: 3, ny: 7, left: 7.48, top: 15.49, dx: 66.04, dy: 38.1 },
  L7163: { unit: MM, w: 99.1, h: 38.1, nx: 2, ny: 7, left: 3.35, top: 15.17, dx: 103.0, dy: 38.1 },
}

/** The rectangle of position `i` on a sheet, in points from the top-left, from the published numbers alone. */
export function publishedRect(p: PublishedSheet, i: number): { x: number; y: number; width: number; height: number } {
  const onSheet = i % (p.nx * p.ny)
  return {
    x: (p.left + (onSheet % p.nx) * p.dx) * p.unit,
    y: (p.top + Math.floor(onSheet / p.nx) * p.dy) * p.unit,
    width: p.w * p.unit,
    height: p.h * p.unit,
  }
}
