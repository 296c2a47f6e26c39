import { lexicographicSortSchema, printSchema } from "graphql";
import { beaconSchema } from "./schema";

const HEADER =
  "# Emitted from the code by `npm run schema`. Do not edit by hand; a test fails if it drifts.\n\n";

/** Sorted, so the file diffs cleanly whatever order the classes load in. */
export async function printSchemaFile(): Promise<string> {
  return `${HEADER}${printSchema(lexicographicSortSchema(await beaconSchema()))}\n`;
}
