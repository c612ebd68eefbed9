/**
 * `@longrun/server`: a validated Express server and durable engine for long-running operations.
 *
 * @packageDocumentation
 */
export { type ServiceConfig, ConfigError, loadConfig } from './config.ts';
export { type LongrunServer, type ServerOptions, createServer } from './create-server.ts';
export { type ApiKey, parseApiKeys } from './http/auth.ts';
export type { HttpContext } from './http/http-context.ts';
export { HTTP_PROBLEMS, type HttpProblemName, HttpProblem } from './http/problem.ts';
export { type RouteDefinition, type RouteRequest, type RouteResult, defineRoute } from './http/typed-route.ts';
export { acceptOperation } from './http/accept.ts';
export { referenceKinds } from './kinds/index.ts';
export type { OperationContext } from './operations/context.ts';
export { type EngineConfig, OperationEngine, createEngine } from './operations/engine.ts';
export { type AnyKind, type KindDefinition, type KindOutcome, defineKind } from './operations/kind.ts';
export type { OperationRecord } from './operations/model.ts';
export { OperationProblemError } from './operations/problems.ts';
export { type OperationState, isTerminal } from './operations/state.ts';
export { type SqliteStoreOptions, createSqliteStore } from './store/sqlite/sqlite-store.ts';
export type { OperationStore } from './store/store.ts';
