/**
 * The change-feed port: how changes committed by other processes reach this one (PostgreSQL
 * LISTEN/NOTIFY is one adapter). Without a source, a waiter still sees foreign changes when its
 * timeout re-reads the store.
 */
import type { OperationState } from '../state.ts';

/** A change committed elsewhere: enough to decide whether to read the record. */
export interface ChangeNotice {
  tenant: string;
  operationId: string;
  version: number;
  /** The state after the change, when the source knows it (`queued` wakes idle workers). */
  state?: OperationState | undefined;
  /** Whether a cancel was requested, when the source knows it (aborts a handler running here). */
  cancelRequested?: boolean | undefined;
}

/** A feed of changes made by other processes (the seam for PostgreSQL LISTEN/NOTIFY). */
export interface ChangeSource {
  /** Starts calling `onNotice` for each foreign change; resolves to a function that stops it. */
  listen(onNotice: (notice: ChangeNotice) => void): Promise<() => Promise<void>>;
}
