import { ErrorCode } from "../domain/vocabulary";
import { BeaconError, badInput } from "../kernel/errors";
import { parseSeq } from "./hub";

/**
 * The `since` argument of a subscription (resume after this seq), as the hub takes it; a value
 * that is not a seq is refused as BAD_USER_INPUT naming the argument.
 */
export function seqArg(since: string | null | undefined): string | null {
  try {
    return parseSeq(since);
  } catch (e) {
    throw badInput("since", (e as Error).message);
  }
}

/**
 * `seqArg`, bounded: a replay reaches back at most `maxEvents` events behind the newest one this
 * instance has seen (BEACON_REPLAY_MAX_EVENTS). Older is refused with SNAPSHOT_REQUIRED: reloading
 * the snapshot (which carries its seq) is cheaper for everyone than replaying that much, and a
 * client that was away that long needs the current picture, not the story (docs/events.md).
 */
export function replaySince(
  beacon: { hub: { lastSeq: string }; config: { replayMaxEvents: number } },
  since: string | null | undefined,
): string | null {
  const window = { latestSeq: beacon.hub.lastSeq, maxEvents: beacon.config.replayMaxEvents };
  const seq = seqArg(since);
  if (seq === null) return null;
  const behind = BigInt(window.latestSeq) - BigInt(seq);
  if (behind > BigInt(window.maxEvents)) {
    throw new BeaconError(
      ErrorCode.SNAPSHOT_REQUIRED,
      `since "${seq}" is ${behind} events behind the newest (${window.latestSeq}); a replay reaches back at most ${window.maxEvents}. Reload the snapshot (e.g. statusSummary, which carries its seq) and subscribe again with since: <its seq>.`,
      { field: "since", latestSeq: window.latestSeq, maxReplayEvents: window.maxEvents },
    );
  }
  return seq;
}
