// Regenerates functions/engine/model/ecs-schema.json from the Smithy model of ECS.
// Usage: npx tsx scripts/gen-ecs-schema.ts [path/to/ecs.json]   (npm run gen:ecs-schema)
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateEcsSchema, serializeEcsSchema, type SmithyModel } from '../functions/engine/model/generate-schema';

const MODEL_PATH = resolve(import.meta.dirname, '../../shared/aws-models/ecs.json');
const SCHEMA_PATH = resolve(import.meta.dirname, '../functions/engine/model/ecs-schema.json');

const modelPath = process.argv[2] ? resolve(process.argv[2]) : MODEL_PATH;
const model = JSON.parse(readFileSync(modelPath, 'utf8')) as SmithyModel;
const schema = generateEcsSchema(model);
writeFileSync(SCHEMA_PATH, serializeEcsSchema(schema));
console.log(
  `wrote ${SCHEMA_PATH}: ${Object.keys(schema.operations).length} operations, ${Object.keys(schema.shapes).length} shapes`,
);
