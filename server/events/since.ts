import { badInput } from "../kernel/errors";
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
