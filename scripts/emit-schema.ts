/** Writes schema/schema.graphql from the code. The schema test fails when the committed file drifts. */
import fs from "node:fs";
import { printSchemaFile } from "../server/app/schema-file";

fs.writeFileSync("schema/schema.graphql", await printSchemaFile());
console.log("wrote schema/schema.graphql");
