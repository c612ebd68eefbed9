/**
 * How a server under test tells the benchmark it is listening: one IPC message with its port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The message a server child sends once it listens. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
}

/** Sends {@link ReadyMessage} to the parent (the benchmark). */
export function reportReady(server: Server | number): void {
  const port = typeof server === 'number' ? server : (server.address() as AddressInfo).port;
  const message: ReadyMessage = { type: 'ready', port };
  process.send?.(message);
}
