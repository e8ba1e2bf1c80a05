// A small line chart in SVG for a short series (a vault's share price over
// time): no axes library, a title and a text summary for screen readers.
const NS = "http://www.w3.org/2000/svg";

export interface Point {
  x: number;
  y: number;
}

/** Scales points into a width × height box, y growing upwards. */
export function project(points: Point[], width: number, height: number, pad = 4): [number, number][] {
  if (points.length === 0) return [];
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 1e-12) [y0, y1] = [y0 - 1, y1 + 1]; // a flat line sits in the middle
  const sx = (x: number) => pad + (x1 === x0 ? (width - 2 * pad) / 2 : ((x - x0) / (x1 - x0)) * (width - 2 * pad));
  const sy = (y: number) => height - pad - ((y - y0) / (y1 - y0)) * (height - 2 * pad);
  return points.map((p) => [Math.round(sx(p.x) * 10) / 10, Math.round(sy(p.y) * 10) / 10]);
}

export function sparkline(points: Point[], title: string, width = 320, height = 64): SVGSVGElement {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  svg.setAttribute("class", "sparkline");
  const t = document.createElementNS(NS, "title");
  t.textContent = title;
  svg.append(t);
  const line = document.createElementNS(NS, "polyline");
  line.setAttribute("points", project(points, width, height).map(([x, y]) => `${x},${y}`).join(" "));
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "currentColor");
  line.setAttribute("stroke-width", "2");
  svg.append(line);
  return svg;
}
