/**
 * `@longrun/client`: a typed client for longrun APIs, and `waitFor()`, which follows an accepted
 * request (`202 Accepted` + monitor) to its typed outcome.
 *
 * Runs on Node ≥ 20 and in browsers: nothing here imports a Node module (the `longrun` CLI is a
 * separate entry).
 *
 * @example
 * import { createClient, waitFor } from '@longrun/client';
 * const longrun = createClient({ baseUrl: 'https://api.longrun.dev', apiKey });
 * const car = await waitFor(longrun, await longrun.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } }));
 * @packageDocumentation
 */

export { type CancelOptions, cancel } from './cancel.ts';
export { type ClientOptions, createClient, type FetchFunction, type LongrunClient } from './create-client.ts';
export {
  ApiError,
  LongrunError,
  OperationCancelledError,
  OperationFailedError,
  WaitTimeoutError,
} from './errors.ts';
// The generated SDK functions (hey-api), one per operation: pass `client: longrun.sdkClient`.
// Listed by name so a type of the same name can never shadow one; index.test.ts checks none is missing.
export {
  cancelMonitor,
  confirmWidgetOrderFulfilment,
  createCar,
  createTranscode,
  createVirtualMachine,
  createWebhookSubscription,
  createWidgetOrder,
  deleteWebhookSubscription,
  getCallbackSecret,
  getCar,
  getHealth,
  getInvoice,
  getMonitor,
  getProduct,
  getVirtualMachine,
  getWebhookSubscription,
  getWidget,
  getWidgetOrder,
  listMonitors,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  rotateCallbackSecret,
  rotateWebhookSubscriptionSecret,
  startReindex,
  streamMonitorEvents,
} from './generated/sdk/index.ts';
export type {
  AcceptedResponse,
  AnyMonitor,
  AsyncKind,
  AsyncKinds,
  components,
  MonitorOfKind,
  MonitorState,
  OutcomeOfKind,
  OutcomeOfResponse,
  Problem,
  paths,
} from './types.ts';
export {
  type MonitorEvent,
  verifyCallback,
  verifyWebhook,
  type WebhookEventType,
  type WebhookHeaders,
  type WebhookSecret,
  WebhookVerificationError,
} from './verify-webhook.ts';
export { type WaitMode, type WaitOptions, waitFor } from './wait-for.ts';
