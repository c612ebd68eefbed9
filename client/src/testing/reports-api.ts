/**
 * The types `longrun generate` writes for a small API of another domain than the reference one:
 * reports exported as files (`POST /exports` → monitor → the export file) and summaries computed
 * inline (`POST /summaries` → monitor → the summary as its result). Written in the shape
 * openapi-typescript and the `AsyncKinds` generator give, so tests can prove the client is typed
 * from a user's spec, not from the reference API's.
 */

type MonitorState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A link of a monitor. */
interface Link {
  href: string;
}

/** The schemas of the reports API. */
export interface components {
  schemas: {
    ExportRequest: { report: string; format: 'csv' | 'parquet' };
    ExportFile: { id: string; report: string; format: 'csv' | 'parquet'; sizeBytes: number; downloadUrl: string };
    SummaryRequest: { report: string };
    ExportSummary: { rows: number; columns: string[] };
    ExportMonitor: {
      id: string;
      kind: 'export.create';
      state: MonitorState;
      progress: { percent: number; message?: string };
      links: { self: Link; product?: Link; events?: Link };
    };
    SummaryMonitor: {
      id: string;
      kind: 'export.summarize';
      state: MonitorState;
      progress: { percent: number; message?: string };
      result?: components['schemas']['ExportSummary'];
      links: { self: Link; events?: Link };
    };
    Problem: { type: string; title: string; status: number; detail?: string };
  };
}

type Schemas = components['schemas'];
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type ProblemAnswer = {
  headers: { [name: string]: unknown };
  content: { 'application/problem+json': Schemas['Problem'] };
};

/** The operations of the reports API. */
export interface operations {
  createExport: {
    parameters: {
      query?: never;
      header?: { Prefer?: string; 'Idempotency-Key'?: string };
      path?: never;
      cookie?: never;
    };
    requestBody: { content: { 'application/json': Schemas['ExportRequest'] } };
    responses: { 202: Json<Schemas['ExportMonitor']>; 400: ProblemAnswer };
  };
  getExport: {
    parameters: { query?: never; header?: never; path: { exportId: string }; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<Schemas['ExportFile']>; 404: ProblemAnswer };
  };
  createSummary: {
    parameters: NoParameters;
    requestBody: { content: { 'application/json': Schemas['SummaryRequest'] } };
    responses: { 202: Json<Schemas['SummaryMonitor']>; 409: ProblemAnswer };
  };
}

/** A path item: the operations it has, `never` for every other method (as openapi-typescript writes it). */
type PathItem<Methods> = Omit<
  {
    parameters: NoParameters;
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  },
  keyof Methods
> &
  Methods;

/** The paths of the reports API. */
export interface paths {
  '/exports': PathItem<{ post: operations['createExport'] }>;
  '/exports/{exportId}': PathItem<{ get: operations['getExport'] }>;
  '/summaries': PathItem<{ post: operations['createSummary'] }>;
}

/** Every long-running operation kind of the reports API, keyed by kind. */
export interface AsyncKinds {
  'export.create': {
    product: Schemas['ExportFile'];
    result: never;
    operationId: 'createExport';
    path: '/exports';
    method: 'post';
  };
  'export.summarize': {
    product: never;
    result: Schemas['ExportSummary'];
    operationId: 'createSummary';
    path: '/summaries';
    method: 'post';
  };
}
