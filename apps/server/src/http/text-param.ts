import { z } from 'zod';

/**
 * A text parameter (an id, a name) as Postgres can store and compare it: 1–`max` characters,
 * no NUL (Postgres text cannot hold one; without this check it would be a database error
 * instead of a clear 400).
 */
export function textParam(max = 255) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\u0000'), { message: 'Must not contain NUL characters' });
}
