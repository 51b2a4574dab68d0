import type { Control } from '../control.ts';
import { releaseControls } from './release-controls.ts';

/** Every control, in report order: by domain, then id. */
export const controlCatalog: readonly Control[] = [...releaseControls].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
