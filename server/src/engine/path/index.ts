/** The traffic path tracer's public surface (CLI, language server, tests). */
export { tracePath, EntryError } from './trace';
export type { TraceRequest } from './trace';
export { parseEntry, parseDestination, formatEntry, ENTRY_KINDS } from './entry';
export type { Entry, EntryKind, Destination } from './entry';
export { listEntries, entryAt } from './entries';
export type { EntrySuggestion, EntrySuggestions } from './entries';
export { renderText, renderMarkdown } from './render';
export * from './model';
