/** `node --import` this file to make `import … from 'electron'` (ESM and CommonJS) load the stand-in. */
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const standin = pathToFileURL(join(import.meta.dirname, 'electron-standin.cjs')).href;
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: standin, format: 'commonjs', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
