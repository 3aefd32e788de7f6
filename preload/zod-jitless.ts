/**
 * zod compiles fast paths with `new Function`, which the renderer's CSP (script-src 'self', no
 * 'unsafe-eval') rightly forbids; zod decides when a schema is CREATED (zod/v4/core/schemas.js reads
 * globalConfig.jitless in the object schema's init). So this runs first, before any module that
 * builds a schema: the contract imports it before everything else.
 */
import { z } from 'zod';

z.config({ jitless: true });
