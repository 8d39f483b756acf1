// Route schemas are checked by TypeBox's compiler. Bodies are never coerced: a string where the
// protocol wants an array is the client's mistake, and Fastify's default Ajv setup would quietly
// wrap it. Query strings are text by nature, so "10" may become 10 there.
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

const MAX_REPORTED_ERRORS = 5;

/** Only paths and TypeBox's generic messages: never the offending values (they may be personal). */
function issue(instancePath: string, message: string, keyword = 'invalid', schemaPath = '#'): FastifySchemaValidationError {
  return { keyword, instancePath, schemaPath, params: {}, message };
}

export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (input: unknown) => {
    try {
      const value = httpPart === 'body' ? input : Value.Convert(schema, input);
      if (check.Check(value)) return { value };
      const errors = check
        .Errors(value)
        .slice(0, MAX_REPORTED_ERRORS)
        .map((e) => issue(e.instancePath, e.message, e.keyword, e.schemaPath));
      return { error: errors.length > 0 ? errors : [issue('', 'is invalid')] };
    } catch {
      // A validator must never turn odd input into a 500.
      return { error: [issue('', 'could not be checked')] };
    }
  };
};
