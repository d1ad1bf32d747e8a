/** One line of a chart: its points (x, y) and how it is drawn. */
export interface Series {
  name: string;
  points: Array<[number, number]>;
  color: string;
  dashed?: boolean;
  /** Draw a dot per point (a reliability diagram's bins) as well as the line. */
  dots?: boolean;
}

/** A chart: axes from 0, a legend, lines. */
export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  xMax: number;
  yMax: number;
  xTicks: number[];
  yTicks: number[];
  series: Series[];
  /** Where the legend goes (default top left). */
  legend?: "top-left" | "bottom-right";
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const r1 = (n: number) => Math.round(n * 10) / 10;

/** Draws `chart` as a small self-contained SVG (no fonts or scripts needed), `width` × `height` px. */
export function svgChart(chart: Chart, width = 640, height = 400): string {
  const m = { left: 56, right: 16, top: 36, bottom: 48 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const x = (v: number) => r1(m.left + (v / chart.xMax) * w);
  const y = (v: number) => r1(m.top + h - (v / chart.yMax) * h);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(chart.title)}</text>`,
  ];
  for (const t of chart.xTicks)
    out.push(
      `<line x1="${x(t)}" y1="${m.top}" x2="${x(t)}" y2="${m.top + h}" stroke="#eee"/>`,
      `<text x="${x(t)}" y="${m.top + h + 16}" text-anchor="middle">${t}</text>`,
    );
  for (const t of chart.yTicks)
    out.push(
      `<line x1="${m.left}" y1="${y(t)}" x2="${m.left + w}" y2="${y(t)}" stroke="#eee"/>`,
      `<text x="${m.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
    );
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${w}" height="${h}" fill="none" stroke="#444"/>`,
    `<text x="${m.left + w / 2}" y="${height - 10}" text-anchor="middle">${esc(chart.xLabel)}</text>`,
    `<text transform="translate(14 ${m.top + h / 2}) rotate(-90)" text-anchor="middle">${esc(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, i) => {
    const path = s.points.map(([px, py], k) => `${k === 0 ? "M" : "L"}${x(px)} ${y(py)}`).join(" ");
    out.push(
      `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    if (s.dots)
      for (const [px, py] of s.points)
        out.push(`<circle cx="${x(px)}" cy="${y(py)}" r="3.5" fill="${s.color}"/>`);
    const bottom = chart.legend === "bottom-right";
    const ly = bottom ? m.top + h - 10 - (chart.series.length - 1 - i) * 18 : m.top + 14 + i * 18;
    const lx = bottom ? m.left + w - 300 : m.left + 12;
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
      `<text x="${lx + 30}" y="${ly}">${esc(s.name)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
