import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts the web dashboard (dist/web at the package root), which `serve` serves at `/`. */
export const webRootDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
