// The human side of a run: a markdown section and an SVG chart per case (no chart library: a bar per stack, with
// its min–max range across rounds).
import { human, median } from "./stats.js";
import type { CaseResult } from "./types.js";

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

const COLOURS = ["#2f6fdf", "#d9822b", "#2a9d5b", "#9aa5b1", "#b83280"];

/** A line chart of a case's series (the soak: memory against events). */
function lineChartSvg(result: CaseResult, series: NonNullable<CaseResult["series"]>): string {
  const [left, top, width, height] = [60, 40, 560, 240];
  const points = series.lines.flatMap((line) => line.points);
  const maxX = Math.max(...points.map(([x]) => x), 1);
  const maxY = Math.max(...points.map(([, y]) => y), 1) * 1.1;
  const px = (x: number) => (left + (x / maxX) * width).toFixed(1);
  const py = (y: number) => (top + height - (y / maxY) * height).toFixed(1);
  const paths = series.lines.map((line, i) => {
    const d = line.points.map(([x, y], j) => `${j === 0 ? "M" : "L"}${px(x)},${py(y)}`).join(" ");
    const colour = COLOURS[i % COLOURS.length];
    return [
      `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`,
      `<text x="${left + width + 8}" y="${top + 14 + i * 16}" fill="${colour}">${escapeXml(line.label)}</text>`,
    ].join("");
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(
    (f) =>
      `<text x="${left - 6}" y="${py(f * maxY)}" text-anchor="end">${human(f * maxY)}</text>` +
      `<text x="${px(f * maxX)}" y="${top + height + 16}" text-anchor="middle">${human(f * maxX)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${left + width + 170}" height="${top + height + 44}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(`${result.title}: ${series.y} against ${series.x}`)}</title>`,
    `<text x="8" y="20" font-weight="bold">${escapeXml(`${result.title} (${series.y} against ${series.x})`)}</text>`,
    `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#ccc"/>`,
    ...ticks,
    ...paths,
    `<text x="${left + width / 2}" y="${top + height + 36}" text-anchor="middle">${escapeXml(series.x)}</text>`,
    "</svg>",
    "",
  ].join("\n");
}

/** A latency distribution: per stack, a bar per percentile (median over rounds) on a log scale of µs. */
function percentileChartSvg(result: CaseResult): string {
  const stacks = result.stacks.filter((stack) => stack.percentiles && stack.perRound.length > 0);
  const names = Object.keys(stacks[0]?.percentiles ?? {});
  const values = stacks.flatMap((stack) => names.map((name) => median(stack.percentiles?.[name] ?? [])));
  const low = 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...values.filter((v) => v > 0)))));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...values, 10)));
  const [labelWidth, barWidth, bar] = [300, 420, 14];
  const row = names.length * bar + 12;
  const x = (us: number) =>
    labelWidth + (Math.log10(Math.max(us, low) / low) / Math.log10(high / low)) * barWidth;
  const decades = Array.from(
    { length: Math.round(Math.log10(high / low)) + 1 },
    (_unused, i) => low * 10 ** i,
  );
  const top = 48;
  const height = top + stacks.length * row + 30;
  const grid = decades.map(
    (us) =>
      `<line x1="${x(us).toFixed(1)}" x2="${x(us).toFixed(1)}" y1="${top - 4}" y2="${height - 24}" stroke="#ddd"/>` +
      `<text x="${x(us).toFixed(1)}" y="${height - 10}" text-anchor="middle">${human(us)} µs</text>`,
  );
  const bars = stacks.flatMap((stack, i) => {
    const y = top + i * row;
    return [
      `<text x="${labelWidth - 8}" y="${y + (names.length * bar) / 2 + 4}" text-anchor="end">${escapeXml(stack.label)}</text>`,
      ...names.map((name, j) => {
        const us = median(stack.percentiles?.[name] ?? []);
        const colour = COLOURS[j % COLOURS.length];
        return (
          `<rect x="${labelWidth}" y="${y + j * bar}" width="${(x(us) - labelWidth).toFixed(1)}" height="${bar - 2}" fill="${colour}"/>` +
          `<text x="${(x(us) + 4).toFixed(1)}" y="${y + j * bar + bar - 4}" font-size="10">${escapeXml(`${name} ${human(us)}`)}</text>`
        );
      }),
    ];
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelWidth + barWidth + 110}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(`${result.title}: ${stacks.map((stack) => `${stack.label} ${names.map((name) => `${name} ${human(median(stack.percentiles?.[name] ?? []))} µs`).join(", ")}`).join("; ")}`)}</title>`,
    `<text x="8" y="20" font-weight="bold">${escapeXml(`${result.title}`)}</text>`,
    `<text x="8" y="36">${escapeXml(`round-trip time, log scale, median over ${result.rounds} rounds: ${names.join(", ")}`)}</text>`,
    ...grid,
    ...bars,
    "</svg>",
    "",
  ].join("\n");
}

/** A horizontal bar chart of each stack's median, with a line for its min–max across rounds. */
export function chartSvg(result: CaseResult): string {
  if (result.series) return lineChartSvg(result, result.series);
  if (result.stacks.some((stack) => stack.percentiles)) return percentileChartSvg(result);
  const stacks = result.stacks.filter((stack) => stack.perRound.length > 0);
  const max = Math.max(...stacks.flatMap((stack) => stack.perRound), 1);
  const labelWidth = 300;
  const barWidth = 420;
  const row = 28;
  const height = 40 + stacks.length * row + 20;
  const x = (value: number) => labelWidth + (value / max) * barWidth;
  const bars = stacks.map((stack, i) => {
    const y = 40 + i * row;
    const low = Math.min(...stack.perRound);
    const high = Math.max(...stack.perRound);
    const fill = stack.id === result.subject ? "#2f6fdf" : "#9aa5b1";
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(stack.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${(x(stack.median) - labelWidth).toFixed(1)}" height="16" fill="${fill}"/>`,
      `<line x1="${x(low).toFixed(1)}" x2="${x(high).toFixed(1)}" y1="${y + 11}" y2="${y + 11}" stroke="#222" stroke-width="1.5"/>`,
      `<text x="${(x(Math.max(high, stack.median)) + 6).toFixed(1)}" y="${y + 15}">${human(stack.median)}</text>`,
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelWidth + barWidth + 90}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(`${result.title}: ${stacks.map((stack) => `${stack.label} ${human(stack.median)}`).join("; ")}`)}</title>`,
    `<text x="8" y="20" font-weight="bold">${escapeXml(`${result.title} (${result.unit}, median of ${result.rounds}; line: min–max)`)}</text>`,
    ...bars,
    "</svg>",
    "",
  ].join("\n");
}

/** A markdown section: the table of stacks, the ratios, what limits each. */
export function markdownSection(result: CaseResult, chartPath: string | undefined): string {
  // Cases with no per-process figures (a micro benchmark, a figure from inside one process) drop those columns.
  const perProcess = result.stacks.some((stack) => stack.processes.length > 0 || stack.limiter);
  const lines = [
    `## ${result.title}`,
    "",
    `${result.count.toLocaleString("en")} ${result.countUnit ?? result.unit.replace("/s", "")} per round, ${result.rounds} rounds, ${result.method ?? "stacks interleaved round by round"}.`,
    "",
    perProcess
      ? `| stack | median ${result.unit} | spread | per round | busiest process (CPU % of one core ${result.cpuSpan ?? "over the whole round, start-up included"}) | per process: CPU %, peak RSS |`
      : `| stack | median ${result.unit} | spread | per round |`,
    perProcess ? "| --- | --- | --- | --- | --- | --- |" : "| --- | --- | --- | --- |",
  ];
  for (const stack of result.stacks) {
    if (stack.missing) {
      lines.push(`| ${stack.label} | missing: ${stack.missing} | | |${perProcess ? " | |" : ""}`);
      continue;
    }
    const rss =
      stack.processes
        .map((p) => {
          const figures = [
            Number.isFinite(p.cpuPercent) ? `${p.cpuPercent.toFixed(0)} %` : "",
            Number.isFinite(p.maxRssMb) ? `${p.maxRssMb.toFixed(0)} MB` : "",
          ].filter(Boolean);
          return figures.length > 0 ? `${p.name.split(" (")[0]} ${figures.join(", ")}` : "";
        })
        .filter(Boolean)
        .join("; ") || "–";
    const lost = stack.lost ? " (lost events)" : "";
    const cells = [
      stack.label,
      `**${human(stack.median)}**${lost}`,
      `±${stack.spreadPercent.toFixed(0)} %`,
      stack.perRound.map(human).join(", "),
      ...(perProcess ? [stack.limiter ?? "–", rss] : []),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  lines.push("");
  const withPercentiles = result.stacks.filter((stack) => stack.percentiles && stack.perRound.length > 0);
  if (withPercentiles.length > 0) {
    const names = Object.keys(withPercentiles[0]?.percentiles ?? {});
    lines.push(
      `| stack | ${names.map((name) => `${name} µs (per round)`).join(" | ")} |`,
      `| --- | ${names.map(() => "---").join(" | ")} |`,
    );
    for (const stack of withPercentiles) {
      const cells = names.map((name) => {
        const values = stack.percentiles?.[name] ?? [];
        return `**${human(median(values))}** (${values.map(human).join(", ")})`;
      });
      lines.push(`| ${stack.label} | ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  if (result.notes && result.notes.length > 0) lines.push(...result.notes, "");
  if (result.ratios.length > 0) {
    lines.push("Ratios (median of per-round ratios; per round in brackets):", "");
    for (const ratio of result.ratios) {
      lines.push(
        `- ${ratio.subject ?? result.subject} / ${ratio.baseline}${ratio.metric ? ` (${ratio.metric})` : ""}: **${ratio.median.toFixed(2)}×** (${ratio.perRound.map((r) => r.toFixed(2)).join(", ")})`,
      );
    }
    lines.push("");
  }
  if (chartPath) lines.push(`![${result.title}](${chartPath})`, "");
  return lines.join("\n");
}
