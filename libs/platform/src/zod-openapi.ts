import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

/** Documents a zod-validated body in the OpenAPI file from the same schema that validates it. */
export const ApiZodBody = (schema: z.ZodType) =>
  ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object });

/** Documents each field of a zod-validated query object. */
export const ApiZodQuery = (schema: z.ZodObject) => {
  const decorators = Object.entries(schema.shape).map(([name, field]) =>
    ApiQuery({
      name,
      required: !(field as z.ZodType).safeParse(undefined).success,
      schema: z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }) as object,
    }),
  );
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const decorate of decorators) decorate(target, key as string, descriptor as PropertyDescriptor);
  };
};
