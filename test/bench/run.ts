/** `npm run bench`: runs the benchmarks and prints their tables. No timed assertions. */
import { runFanoutBench } from "./fanout.bench";

await runFanoutBench();
