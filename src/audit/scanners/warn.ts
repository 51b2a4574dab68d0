import type { SourceLocation } from '../facts.ts';

/** How a scanner reports what it could not read: a warning, never an exception. */
export type Warn = (location: SourceLocation, message: string) => void;
