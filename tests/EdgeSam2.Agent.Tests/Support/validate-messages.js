// Validates messages against the agent's JSON Schemas with ajv.
// usage: node validate-messages.js <node_modules with ajv, ajv-formats> <schema folder> <messages.jsonl>
// Each line of the input is {"schema": "<name>", "message": <the message>}; exit 0 when all are valid.
'use strict';
const fs = require('fs');
const path = require('path');
const [, , modules, schemaDir, file] = process.argv;
const Ajv = require(path.join(modules, 'ajv'));
const addFormats = require(path.join(modules, 'ajv-formats'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validators = {};
// Every schema is added before any is compiled: one may refer to another by its $id (tracks-correction to tracks).
const schemas = fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'))
  .map((f) => [f.replace('.schema.json', ''), JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8'))]);
for (const [, schema] of schemas) {
  ajv.addSchema(schema);
}
for (const [name, schema] of schemas) {
  validators[name] = ajv.getSchema(schema.$id);
}
let bad = 0;
let count = 0;
for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
  const { schema, message } = JSON.parse(line);
  const validate = validators[schema];
  count++;
  if (!validate) {
    bad++;
    console.log(`no schema named ${schema}`);
  } else if (!validate(message)) {
    bad++;
    console.log(`${schema}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(message).slice(0, 300)}`);
  }
}
console.log(`validated ${count} messages, ${bad} invalid`);
process.exit(bad ? 1 : 0);
