// Validates AsyncAPI 3.0 documents against the published JSON Schema (@asyncapi/specs),
// then checks that every `$ref` inside each document resolves.
// Usage: node validate_asyncapi.mjs FILE...   (prints 'N passed, N failed')
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const schema = require("@asyncapi/specs/schemas/3.0.0-without-$id.json");
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function resolves(doc, ref) {
  if (!ref.startsWith("#/")) return true;
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

function refs(node, out) {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === "object") {
    if (typeof node.$ref === "string") out.push(node.$ref);
    Object.values(node).forEach((n) => refs(n, out));
  }
  return out;
}

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const problems = [];
  if (doc.asyncapi !== "3.0.0") problems.push(`asyncapi is ${doc.asyncapi}, not 3.0.0`);
  if (!validate(doc)) problems.push(...validate.errors.slice(0, 10).map((e) => `${e.instancePath} ${e.message}`));
  for (const r of refs(doc, [])) if (!resolves(doc, r)) problems.push(`unresolved $ref ${r}`);
  if (problems.length) {
    failed++;
    console.log(`invalid AsyncAPI document: ${file}\n  ${problems.join("\n  ")}`);
  } else passed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
