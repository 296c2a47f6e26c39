import { type KeyboardEvent, useId, useRef, useState } from "react";
import { calendarDay } from "../shared/time";
import { SERVICE_STATUS_TONE, SERVICE_STATUS_WORDS } from "../shared/words";
import type { UptimeDay } from "./queries";

function formatPercent(value: number): string {
  if (value >= 100) return "100%";
  return `${value
    .toFixed(value >= 99.9 ? 3 : 2)
    .replace(/0+$/, "")
    .replace(/\.$/, "")}%`;
}

function describe(day: UptimeDay): string {
  if (!day.hasData) return `${calendarDay(day.date)}: no data (the service did not exist yet)`;
  const incidents =
    day.incidents.length === 0
      ? "no incidents"
      : `${day.incidents.length} incident${day.incidents.length === 1 ? "" : "s"}`;
  const maintenance = day.maintenances?.length
    ? `, scheduled maintenance: ${day.maintenances.join(", ")}`
    : "";
  return `${calendarDay(day.date)}: ${formatPercent(day.uptimePercent)} uptime, ${SERVICE_STATUS_WORDS[day.worstStatus].toLowerCase()}, ${incidents}${maintenance}`;
}

/**
 * 90 daily bars. One tab stop for the whole strip; arrow keys, Home and End move between days.
 * Hovering or focusing a bar shows the day, its uptime, worst status and incidents in a tooltip.
 */
export function UptimeBars({ serviceName, days }: { serviceName: string; days: UptimeDay[] }) {
  const [active, setActive] = useState<number | null>(null);
  const [focusIndex, setFocusIndex] = useState(days.length - 1);
  const bars = useRef<(HTMLButtonElement | null)[]>([]);
  const tooltipId = useId();
  if (days.length === 0) return null;

  // Days before the service existed say nothing about its uptime.
  const measured = days.filter((d) => d.hasData);
  const average = measured.length
    ? measured.reduce((sum, d) => sum + d.uptimePercent, 0) / measured.length
    : 100;
  const move = (index: number) => {
    const next = Math.max(0, Math.min(days.length - 1, index));
    setFocusIndex(next);
    setActive(next);
    bars.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const keys: Record<string, number> = {
      ArrowLeft: focusIndex - 1,
      ArrowRight: focusIndex + 1,
      Home: 0,
      End: days.length - 1,
    };
    const target = keys[event.key];
    if (target !== undefined) {
      event.preventDefault();
      move(target);
    } else if (event.key === "Escape") setActive(null);
  };
  const shown = active === null ? null : days[active];
  const left = active === null ? 0 : ((active + 0.5) / days.length) * 100;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: hiding the tooltip when the pointer leaves; focus and Escape cover keyboards
    <div className="uptime" onMouseLeave={() => setActive(null)}>
      {/* biome-ignore lint/a11y/useSemanticElements: a fieldset would be wrong for a strip of bars */}
      <div
        className="uptime-bars"
        role="group"
        aria-label={`${serviceName}: uptime, last ${days.length} days`}
        onKeyDown={onKeyDown}
      >
        {days.map((day, index) => {
          const tone = day.hasData ? SERVICE_STATUS_TONE[day.worstStatus] : "nodata";
          return (
            <button
              key={day.date}
              ref={(el) => {
                bars.current[index] = el;
              }}
              type="button"
              className={`uptime-bar tone-${tone}${day.incidents.length ? " has-incidents" : ""}${day.maintenances?.length ? " has-maintenance" : ""}${active === index ? " is-active" : ""}`}
              data-testid={`uptime-${day.date}`}
              tabIndex={index === focusIndex ? 0 : -1}
              aria-label={describe(day)}
              aria-describedby={active === index ? tooltipId : undefined}
              onMouseEnter={() => setActive(index)}
              onFocus={() => {
                setFocusIndex(index);
                setActive(index);
              }}
              onBlur={() => setActive((a) => (a === index ? null : a))}
            />
          );
        })}
      </div>
      {shown && (
        <div
          id={tooltipId}
          role="tooltip"
          className="uptime-tooltip"
          style={{ left: `clamp(7rem, ${left}%, calc(100% - 7rem))` }}
        >
          <strong>{calendarDay(shown.date)}</strong>
          <span className={`uptime-tooltip-status tone-${SERVICE_STATUS_TONE[shown.worstStatus]}`}>
            {SERVICE_STATUS_WORDS[shown.worstStatus]} · {formatPercent(shown.uptimePercent)} uptime
          </span>
          {(shown.maintenances?.length ?? 0) > 0 && (
            <span className="uptime-tooltip-maintenance">
              Scheduled maintenance: {shown.maintenances.join(", ")}
            </span>
          )}
          {shown.incidents.length === 0 ? (
            <span className="muted">No incidents</span>
          ) : (
            <ul>
              {shown.incidents.map((title) => (
                <li key={title}>{title}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="uptime-legend" aria-hidden="true">
        <span className="uptime-legend-start">
          <span className="days-90">{days.length} days ago</span>
          <span className="days-30">30 days ago</span>
        </span>
        <span className="uptime-legend-line" />
        <span>{formatPercent(average)} uptime</span>
        <span className="uptime-legend-line" />
        <span>Today</span>
      </div>
    </div>
  );
}
