import type { StatusIndicator } from "../../../server/domain/vocabulary";
import { StatusIcon } from "../shared/StatusIcon";
import { Time } from "../shared/Time";
import { INDICATOR_TONE, INDICATOR_WORDS } from "../shared/words";

/** The overall banner: indicator (icon + words + colour) and the server's sentence. */
export function StatusBanner({
  indicator,
  description,
  updatedAt,
}: {
  indicator: StatusIndicator;
  description: string;
  updatedAt?: string;
}) {
  const tone = INDICATOR_TONE[indicator];
  return (
    <section
      className={`status-banner tone-${tone}`}
      data-testid="status-banner"
      data-indicator={indicator}
      aria-labelledby="status-banner-title"
      aria-live="polite"
    >
      <StatusIcon tone={tone} size={28} />
      <div className="status-banner-text">
        <h1 id="status-banner-title" className="status-banner-title">
          {description}
        </h1>
        <p className="status-banner-meta">
          <span className="status-banner-indicator">{INDICATOR_WORDS[indicator]}</span>
          {updatedAt && (
            <>
              {" · Updated "}
              <Time iso={updatedAt} relativeOnly />
            </>
          )}
        </p>
      </div>
    </section>
  );
}

export function StatusBannerSkeleton() {
  return (
    <section className="status-banner tone-neutral" data-testid="status-banner" aria-busy="true">
      <StatusIcon tone="neutral" size={28} />
      <div className="status-banner-text">
        <h1 className="status-banner-title">Checking status…</h1>
        <p className="status-banner-meta">&nbsp;</p>
      </div>
    </section>
  );
}
