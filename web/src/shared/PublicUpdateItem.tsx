import type { PublicUpdate as FullUpdate } from "../status-page/queries";
import { Time } from "./Time";
import { PUBLIC_STATUS_TONE, PUBLIC_STATUS_WORDS } from "./words";

/** The item needs no promise of the next update (the card shows the newest one's). */
type PublicUpdate = Omit<FullUpdate, "nextUpdateBy"> & { nextUpdateBy?: string | null };

/**
 * One public update, exactly as the status page shows it. The war room's public update composer
 * renders its preview with this same component.
 */
export function PublicUpdateItem({ update }: { update: PublicUpdate }) {
  return (
    <li className="public-update" data-testid={`public-update-${update.id}`}>
      <div className={`public-update-status tone-${PUBLIC_STATUS_TONE[update.status]}`}>
        {PUBLIC_STATUS_WORDS[update.status]}
      </div>
      <div className="public-update-body">
        <p className="public-update-message">{update.message}</p>
        <Time iso={update.at} />
      </div>
    </li>
  );
}

/** Updates newest first. */
export function PublicUpdateList({ updates, limit }: { updates: PublicUpdate[]; limit?: number }) {
  const sorted = [...updates].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const shown = limit ? sorted.slice(0, limit) : sorted;
  return (
    <ol className="public-updates" aria-label="Updates, newest first">
      {shown.map((u) => (
        <PublicUpdateItem key={u.id} update={u} />
      ))}
    </ol>
  );
}
