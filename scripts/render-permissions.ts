/** Rewrites the table in docs/permissions.md from the code (a unit test fails when they differ). */
import fs from "node:fs";
import { renderPermissionTable } from "../server/domain/permissions";

const file = "docs/permissions.md";
const doc = fs.readFileSync(file, "utf8");
const [head, rest] = doc.split("<!-- permission-table:start -->\n");
const [, tail] = rest!.split("<!-- permission-table:end -->");
fs.writeFileSync(
  file,
  `${head}<!-- permission-table:start -->\n${renderPermissionTable()}<!-- permission-table:end -->${tail}`,
);
console.log(`wrote ${file}`);
