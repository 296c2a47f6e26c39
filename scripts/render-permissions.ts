/** Rewrites the tables in docs/permissions.md from the code (unit tests fail when they differ). */
import fs from "node:fs";
import { renderMutationTable } from "../server/domain/mutation-permissions";
import { renderPermissionTable } from "../server/domain/permissions";

const file = "docs/permissions.md";
let doc = fs.readFileSync(file, "utf8");
for (const [name, render] of [
  ["permission-table", renderPermissionTable],
  ["mutation-table", renderMutationTable],
] as const) {
  const [head, rest] = doc.split(`<!-- ${name}:start -->\n`);
  const [, tail] = rest?.split(`<!-- ${name}:end -->`) ?? [];
  if (head === undefined || tail === undefined) {
    throw new Error(`${file} has lost its <!-- ${name}:start/end --> markers`);
  }
  doc = `${head}<!-- ${name}:start -->\n${render()}<!-- ${name}:end -->${tail}`;
}
fs.writeFileSync(file, doc);
console.log(`wrote ${file}`);
