import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../../src/report/schema/report.schema.json';

// Formats (date-time, uri, …) are checked too, not just ignored with a warning.
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validate = ajv.compile(schema);

/** Fails with the schema errors when `report` does not match the published JSON Schema. */
export function expectValidReport(report: unknown): void {
  if (!validate(report)) {
    throw new Error(`report does not match the JSON Schema:\n${JSON.stringify(validate.errors, null, 2)}`);
  }
}
