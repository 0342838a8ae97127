// Hand-rolled SVG chart of one value per UTC day: (stacked) bars on the left axis, lines on the left or right
// axis. Every bar and point has a native tooltip (<title>) and links to the runs behind it.
import type * as React from "react";

export interface BarSegment {
  label: string;
  value: number;
  color: string;
  href?: string;
}

export interface LineSeries {
  label: string;
  color: string;
  values: (number | null)[];
  axis: "left" | "right";
  dashed?: boolean;
  /** Links a point to the runs behind it (defaults to the chart's dayHref). */
  dayHref?: (day: string) => string;
}

interface Props {
  title: string;
  description: string;
  days: string[];
  bars?: BarSegment[][];
  lines?: LineSeries[];
  formatLeft: (value: number) => string;
  formatRight?: (value: number) => string;
  /** Upper bound of the right axis (1 for rates); computed from the data when absent. */
  rightMax?: number;
  /** Which axes hold durations in ms: their tops are round times (10 min, 1 h) rather than round numbers. */
  durationAxes?: ("left" | "right")[];
  dayHref?: (day: string) => string;
}

const W = 640;
const H = 200;
const PAD = { left: 52, right: 48, top: 10, bottom: 22 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

/** A round upper bound (1, 2, 2.5, 5 × 10ⁿ) so the axis ticks read well. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

const MINUTE = 60_000;
/** Round tops for a time axis whose half-way tick reads well too: 1, 2, 5, 10, 20, 30 min, 1, 2, 4, 8 h, 1 d … */
const TIME_STEPS = [1, 2, 5, 10, 20, 30, 60, 120, 240, 480, 720, 1440, 2880].map((m) => m * MINUTE);
export function niceDuration(ms: number): number {
  if (!(ms > 0)) return MINUTE;
  return TIME_STEPS.find((step) => ms <= step) ?? Math.ceil(ms / (1440 * MINUTE)) * 1440 * MINUTE;
}

export function DailyChart(props: Props) {
  const { days, bars = [], lines = [] } = props;
  const n = Math.max(days.length, 1);
  const slot = plotW / n;
  const totals = bars.map((segments) => segments.reduce((sum, s) => sum + s.value, 0));
  const leftValues = [...totals, ...lines.filter((l) => l.axis === "left").flatMap((l) => l.values)];
  const top = (side: "left" | "right") => (props.durationAxes?.includes(side) ? niceDuration : niceMax);
  const leftMax = top("left")(Math.max(0, ...leftValues.map((v) => v ?? 0)));
  const rightValues = lines.filter((l) => l.axis === "right").flatMap((l) => l.values);
  const rightMax = props.rightMax ?? top("right")(Math.max(0, ...rightValues.map((v) => v ?? 0)));
  const y = (value: number, max: number) => PAD.top + plotH - (value / max) * plotH;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const labelEvery = Math.ceil(n / 8);
  const titleId = `chart-${props.title.replace(/\W+/g, "-").toLowerCase()}`;
  const hasRight = lines.some((l) => l.axis === "right");

  return (
    <figure className="min-w-0">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full text-muted-foreground"
        role="img"
        aria-labelledby={`${titleId}-t ${titleId}-d`}
        data-chart={titleId}
      >
        <title id={`${titleId}-t`}>{props.title}</title>
        <desc id={`${titleId}-d`}>{props.description}</desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(leftMax * f, leftMax)}
              y2={y(leftMax * f, leftMax)}
              className="stroke-border"
              strokeDasharray={f === 0 ? undefined : "2 3"}
            />
            <text
              x={PAD.left - 6}
              y={y(leftMax * f, leftMax) + 3}
              textAnchor="end"
              className="fill-current text-[10px] tabular-nums"
            >
              {props.formatLeft(leftMax * f)}
            </text>
            {hasRight && props.formatRight ? (
              <text
                x={W - PAD.right + 6}
                y={y(rightMax * f, rightMax) + 3}
                className="fill-current text-[10px] tabular-nums"
              >
                {props.formatRight(rightMax * f)}
              </text>
            ) : null}
          </g>
        ))}
        {days.map((day, i) =>
          i % labelEvery === 0 ? (
            <text
              key={day}
              x={x(i)}
              y={H - 6}
              textAnchor="middle"
              className="fill-current text-[10px] tabular-nums"
            >
              {day.slice(5)}
            </text>
          ) : null,
        )}
        {bars.map((segments, i) => {
          let base = 0;
          const day = days[i] ?? "";
          const barW = Math.max(2, Math.min(28, slot * 0.7));
          return (
            <g key={day} data-bar-day={day}>
              {segments.map((segment) => {
                if (segment.value <= 0) return null;
                const top = y(base + segment.value, leftMax);
                const height = y(base, leftMax) - top;
                base += segment.value;
                const rect = (
                  <rect
                    key="bar"
                    x={x(i) - barW / 2}
                    y={top}
                    width={barW}
                    height={Math.max(height, 1)}
                    fill={segment.color}
                    rx={1}
                  >
                    <title>{`${day} · ${segment.label}: ${props.formatLeft(segment.value)}`}</title>
                  </rect>
                );
                return segment.href ? (
                  <a
                    key={segment.label}
                    href={segment.href}
                    aria-label={`${day} ${segment.label}: ${props.formatLeft(segment.value)}`}
                  >
                    {rect}
                  </a>
                ) : (
                  <g key={segment.label}>{rect}</g>
                );
              })}
            </g>
          );
        })}
        {lines.map((line) => {
          const max = line.axis === "left" ? leftMax : rightMax;
          const points = line.values
            .map((value, i) => (value === null ? null : ([x(i), y(value, max), value, i] as const)))
            .filter((p): p is readonly [number, number, number, number] => p !== null);
          const format = line.axis === "left" ? props.formatLeft : (props.formatRight ?? props.formatLeft);
          return (
            <g key={line.label} data-line={line.label}>
              <polyline
                points={points.map(([px, py]) => `${px},${py}`).join(" ")}
                fill="none"
                stroke={line.color}
                strokeWidth={1.75}
                strokeDasharray={line.dashed ? "4 3" : undefined}
              />
              {points.map(([px, py, value, i]) => {
                const dot = (
                  <circle key="dot" cx={px} cy={py} r={3} fill={line.color}>
                    <title>{`${days[i]} · ${line.label}: ${format(value)}`}</title>
                  </circle>
                );
                const href = (line.dayHref ?? props.dayHref)?.(days[i] ?? "");
                return href ? (
                  <a key={i} href={href} aria-label={`${days[i]} ${line.label}: ${format(value)}`}>
                    {dot}
                  </a>
                ) : (
                  <g key={i}>{dot}</g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <Legend
        items={[
          ...uniqueSegments(bars),
          ...lines.map((l) => ({ label: l.label, color: l.color, line: true })),
        ]}
      />
    </figure>
  );
}

function uniqueSegments(bars: BarSegment[][]) {
  const seen = new Map<string, { label: string; color: string; line?: boolean }>();
  for (const segments of bars) for (const s of segments) if (!seen.has(s.label)) seen.set(s.label, s);
  return [...seen.values()];
}

function Legend({ items }: { items: { label: string; color: string; line?: boolean }[] }): React.ReactNode {
  if (items.length === 0) return null;
  return (
    <figcaption className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground">
      {items.map((item) => (
        <span key={item.label} className="inline-flex items-center gap-1.5">
          <span
            aria-hidden
            className={item.line ? "h-0.5 w-3" : "size-2.5 rounded-sm"}
            style={{ backgroundColor: item.color }}
          />
          {item.label}
        </span>
      ))}
    </figcaption>
  );
}
