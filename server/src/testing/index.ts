/**
 * `@longrun/server/testing`: what a test of a longrun service, or of a new store adapter, needs.
 *
 * - {@link startTestServer}: a real server on a free port, on a throwaway SQLite store.
 * - {@link describeStoreConformance}, {@link describeWebhookStoreConformance} and
 *   {@link describeOutboxConformance}: the
 *   specification of the store ports as Vitest suites. An adapter of your own passes them:
 *
 * @example
 * describeStoreConformance('my store', async () => {
 *   const store = await openMyStore();
 *   return { store, cleanup: () => store.close() };
 * });
 *
 * Vitest is needed to run the conformance suites; the rest works under any test runner.
 *
 * @packageDocumentation
 */
export { type EventStreamReader, openEventStream, type StreamItem } from './event-stream-reader.ts';
export { describeOutboxConformance, type OutboxStore } from './outbox-conformance.ts';
export { describeStoreConformance, type StoreUnderTest } from './store-conformance.ts';
export { startTestServer, TEST_TENANTS, type TestServer } from './test-server.ts';
export {
  type ReceivedRequest,
  type ReceiverAnswer,
  startWebhookReceiver,
  type WebhookReceiver,
} from './webhook-receiver.ts';
export { describeWebhookStoreConformance, type WebhookStoreUnderTest } from './webhook-store-conformance.ts';
