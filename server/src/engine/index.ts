/** The engine's public surface: the CLI, the language server and the tests import from here. */
export { Workspace } from './workspace';
export type { FileState, GlobalAnalyzer } from './workspace';
export { loadWorkspace, readWorkspace, loadConfig, collectFiles, isAnalysedPath, summarise } from './load';
export type { FileCollection, SkippedPath, SkipReason, WalkConfig, LoadedWorkspace } from './load';
export { defaultAnalyzers } from './analyzers';
export { defaultConfig, mergeConfig, parseConfigText, CONFIG_FILE_NAME } from './config/config';
export type { EngineConfig } from './config/config';
export type { LocatedDiagnostic } from './diagnostic';
export type { Finding, Severity } from './findings';
export { ALL_RULES } from './rules';
export { Project } from './units/project';
export type { ProjectOptions } from './units/project';
export { Unit } from './units/unit';
export type { UnitSpec, UnitKind } from './units/discover';
export { loadProject, rootsOf } from './units/load';
