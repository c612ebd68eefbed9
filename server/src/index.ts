/**
 * `@longrun/server`: a validated Express server and durable engine for long-running operations.
 *
 * @packageDocumentation
 */

export { defineOutsideKind, type OutsideKindDefinition } from './broker/outside-kind.ts';
export {
  brokerNames,
  type ControlMessage,
  DEAD_LETTER_REASON_HEADER,
  type ReportMessage,
  type TaskMessage,
} from './broker/protocol.ts';
export type { BrokerOptions } from './broker/start-broker.ts';
export { ConfigError, loadConfig, type ServiceConfig, serverOptionsFromConfig } from './config.ts';
export { createServer, type LongrunServer, type ServerOptions } from './create-server.ts';
export { acceptOperation } from './http/accept.ts';
export { type ApiKey, parseApiKeys } from './http/auth.ts';
export type { HttpContext } from './http/http-context.ts';
export { HTTP_PROBLEMS, HttpProblem, type HttpProblemName } from './http/problem.ts';
export { SpecServerError } from './http/spec-routes.ts';
export {
  type Acceptance,
  type AcceptHook,
  type AnswerHeaders,
  type DirectAnswer,
  type KindInput,
  type KindTypes,
  type OperationHandler,
  type OperationRequest,
  type OperationResult,
  type ServerApi,
  type ServerSpec,
  type SpecKind,
  type SpecKindBody,
  specKinds,
} from './http/spec-server.ts';
export { defineRoute, type RouteDefinition, type RouteRequest, type RouteResult } from './http/typed-route.ts';
export { referenceKinds } from './kinds/index.ts';
export type { OperationContext } from './operations/context.ts';
export { createEngine, type EngineConfig, OperationEngine } from './operations/engine.ts';
export { LeaseLostError, UnknownKindError } from './operations/errors.ts';
export { type AnyKind, defineKind, type KindDefinition, type KindOutcome } from './operations/kind.ts';
export { LongrunServerError } from './operations/longrun-server-error.ts';
export type { OperationRecord } from './operations/model.ts';
export type { OperationStore } from './operations/ports/index.ts';
export { OperationProblemError } from './operations/problems.ts';
export { IllegalTransitionError, isTerminal, type OperationState } from './operations/state.ts';
export { SchemaTooNewError } from './store/sql/migration-plan.ts';
export { SQLITE_MIN_NODE_MAJOR, SqliteUnavailableError } from './store/sqlite/open-database.ts';
export { createSqliteStore, type SqliteStoreOptions } from './store/sqlite/sqlite-store.ts';
