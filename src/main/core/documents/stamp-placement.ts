import type { Box } from './page-content';
import { STAMP_HEIGHT, STAMP_WIDTH, type StampCorner } from './stamp';

// Where on a page the stamp can go without covering anything: not the text, lines and images the page draws, not an
// earlier signature's stamp or any other annotation. Searched in what the reader sees (after /Rotate), from the
// corner the clinic chose for this kind of document, row by row inward.

const MARGIN = 18;
/** Clearance kept around whatever is already on the page. */
const CLEARANCE = 4;
const STEP = 6;

export interface PageFrame {
  box: { x: number; y: number; width: number; height: number };
  rotation: number;
}

/** The widget rectangle in user space, or null when no empty spot of the stamp's size exists on the page. */
export function findFreeStampRect(
  frame: PageFrame,
  occupied: Box[],
  corner: StampCorner = 'bottom-right',
): [number, number, number, number] | null {
  const r = normal(frame.rotation);
  const sideways = r === 90 || r === 270;
  const viewW = sideways ? frame.box.height : frame.box.width;
  const viewH = sideways ? frame.box.width : frame.box.height;
  const taken = occupied.map((b) => toView(b, r, frame.box)).map((b) => ({
    x1: b.x1 - CLEARANCE,
    y1: b.y1 - CLEARANCE,
    x2: b.x2 + CLEARANCE,
    y2: b.y2 + CLEARANCE,
  }));

  const xs = steps(MARGIN, viewW - MARGIN - STAMP_WIDTH);
  const ys = steps(MARGIN, viewH - MARGIN - STAMP_HEIGHT);
  if (corner.endsWith('right')) xs.reverse();
  if (corner.startsWith('top')) ys.reverse();
  for (const y of ys) {
    const band = taken.filter((b) => b.y1 < y + STAMP_HEIGHT && b.y2 > y);
    for (const x of xs) {
      if (band.some((b) => b.x1 < x + STAMP_WIDTH && b.x2 > x)) continue;
      return toUserRect(x, y, r, frame.box);
    }
  }
  return null;
}

function steps(from: number, to: number): number[] {
  const out: number[] = [];
  if (to < from) return out;
  for (let v = from; v < to; v += STEP) out.push(v);
  out.push(to); // the far edge exactly, so a corner placement sits at the margin
  return out;
}

function normal(rotation: number): number {
  return ((rotation % 360) + 360) % 360;
}

type Frame = PageFrame['box'];

/** User space → what the reader sees (origin bottom-left of the rotated page). */
function toView(b: Box, r: number, box: Frame): Box {
  const corners = [
    [b.x1, b.y1],
    [b.x2, b.y2],
  ].map(([x = 0, y = 0]) => {
    switch (r) {
      case 90:
        return [y - box.y, box.x + box.width - x];
      case 180:
        return [box.x + box.width - x, box.y + box.height - y];
      case 270:
        return [box.y + box.height - y, x - box.x];
      default:
        return [x - box.x, y - box.y];
    }
  });
  const vx = corners.map(([x = 0]) => x);
  const vy = corners.map(([, y = 0]) => y);
  return { x1: Math.min(...vx), y1: Math.min(...vy), x2: Math.max(...vx), y2: Math.max(...vy) };
}

function toUserRect(vx: number, vy: number, r: number, box: Frame): [number, number, number, number] {
  const corners = [
    [vx, vy],
    [vx + STAMP_WIDTH, vy + STAMP_HEIGHT],
  ].map(([x = 0, y = 0]) => {
    switch (r) {
      case 90:
        return [box.x + box.width - y, box.y + x];
      case 180:
        return [box.x + box.width - x, box.y + box.height - y];
      case 270:
        return [box.x + y, box.y + box.height - x];
      default:
        return [box.x + x, box.y + y];
    }
  });
  const xs = corners.map(([x = 0]) => x);
  const ys = corners.map(([, y = 0]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
