/**
 * Signing secrets encrypted at rest: AES-256-GCM under keys from `LONGRUN_SECRET_KEY`, applied
 * around any {@link WebhookStore}, so both stores keep only ciphertext and neither knows of keys.
 *
 * @see ../../../docs/decisions/0010-signing-secrets-at-rest.md
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { LongrunServerError } from '../operations/longrun-server-error.ts';
import type {
  ClaimedDelivery,
  SigningSecrets,
  WebhookStore,
  WebhookSubscriptionRecord,
} from '../operations/ports/webhook-store.ts';

/** What a sealed secret starts with; a stored value without it is a secret kept before encryption. */
const PREFIX = 'lrsec1';

/** A key of `LONGRUN_SECRET_KEY` was not 32 bytes of base64, or a stored secret names a key not configured. */
export class SecretKeyError extends LongrunServerError {
  override readonly name = 'SecretKeyError';
  readonly code = 'secret-key';
}

/** One AES-256 key and its id (the first 8 hex digits of its SHA-256), which sealed values name. */
interface SecretKey {
  id: string;
  key: Buffer;
}

/**
 * Parses `LONGRUN_SECRET_KEY`: base64 keys of 32 bytes, separated by commas or spaces. The first
 * seals; all of them open (put a new key first to rotate, drop the old one once nothing uses it).
 *
 * @throws {SecretKeyError} for a key that is not 32 bytes of base64.
 */
export function parseSecretKeys(value: string): SecretKey[] {
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((text, index) => {
      const key = Buffer.from(text, 'base64');
      if (key.length !== 32) {
        throw new SecretKeyError(
          `LONGRUN_SECRET_KEY: key ${index + 1} is ${key.length} bytes, not 32 (make one with \`openssl rand -base64 32\`)`,
        );
      }
      return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
    });
}

/** Seals and opens signing secrets with a list of keys (see {@link parseSecretKeys}). */
export class SecretBox {
  readonly #keys: SecretKey[];

  /** `keys` must not be empty; the first one seals. */
  constructor(keys: SecretKey[]) {
    if (keys.length === 0) throw new SecretKeyError('a SecretBox needs at least one key');
    this.#keys = keys;
  }

  /** `lrsec1.<key id>.<base64url of 12-byte IV, 16-byte tag, ciphertext>` */
  seal(secret: string): string {
    const { id, key } = this.#keys[0] as SecretKey;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id is authenticated too, so a value cannot be made to name another key.
    cipher.setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${PREFIX}.${id}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /**
   * The secret in `stored`; a value stored before encryption was configured is returned as it is.
   *
   * @throws {SecretKeyError} when it was sealed with a key that is not configured, or was altered.
   */
  open(stored: string): string {
    if (!stored.startsWith(`${PREFIX}.`)) return stored;
    const [, id, data] = stored.split('.');
    const entry = this.#keys.find((candidate) => candidate.id === id);
    if (entry === undefined || data === undefined) {
      throw new SecretKeyError(`a signing secret was sealed with key ${id}, which LONGRUN_SECRET_KEY does not list`);
    }
    const raw = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', entry.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(entry.id));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new SecretKeyError(`a signing secret sealed with key ${id} does not open (altered?)`, { cause: error });
    }
  }

  /** Whether `stored` is sealed with the key that seals now (false for plain or older-key values). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}.${(this.#keys[0] as SecretKey).id}.`);
  }
}

/**
 * `store` with every signing secret sealed by `box` on the way in and opened on the way out: what
 * the routes and the dispatcher use when `LONGRUN_SECRET_KEY` is set.
 */
export function sealedWebhookStore(store: WebhookStore, box: SecretBox): WebhookStore {
  const open = (secrets: SigningSecrets): SigningSecrets => ({
    ...secrets,
    current: box.open(secrets.current),
    previous: secrets.previous === null ? null : box.open(secrets.previous),
  });
  const openSubscription = (record: WebhookSubscriptionRecord): WebhookSubscriptionRecord => ({
    ...record,
    secrets: open(record.secrets),
  });
  // Opened when the attempt signs, not when the batch is claimed: a secret whose key was dropped
  // fails its own delivery (retried, with the reason in the delivery log), not every one claimed with it.
  const openWhenSigning = (secrets: SigningSecrets): SigningSecrets => ({
    get current() {
      return box.open(secrets.current);
    },
    get previous() {
      return secrets.previous === null ? null : box.open(secrets.previous);
    },
    previousExpiresAt: secrets.previousExpiresAt,
  });
  const openDelivery = (delivery: ClaimedDelivery): ClaimedDelivery => ({
    ...delivery,
    secrets: delivery.secrets === undefined ? undefined : openWhenSigning(delivery.secrets),
  });
  return {
    async createSubscription(subscription, maxPerTenant) {
      const made = await store.createSubscription(
        { ...subscription, secret: box.seal(subscription.secret) },
        maxPerTenant,
      );
      return made === 'limit-reached' ? made : openSubscription(made);
    },
    async getSubscription(tenant, id) {
      const found = await store.getSubscription(tenant, id);
      return found && openSubscription(found);
    },
    async listSubscriptions(query) {
      const page = await store.listSubscriptions(query);
      return { ...page, items: page.items.map(openSubscription) };
    },
    deleteSubscription: (tenant, id) => store.deleteSubscription(tenant, id),
    async rotateSubscriptionSecret(tenant, id, secret, previousExpiresAt, now) {
      const rotated = await store.rotateSubscriptionSecret(tenant, id, box.seal(secret), previousExpiresAt, now);
      return rotated && openSubscription(rotated);
    },
    async getCallbackSecrets(tenant) {
      const found = await store.getCallbackSecrets(tenant);
      return found && open(found);
    },
    async ensureCallbackSecrets(tenant, candidate, now) {
      return open(await store.ensureCallbackSecrets(tenant, box.seal(candidate), now));
    },
    async rotateCallbackSecrets(tenant, secret, previousExpiresAt, now) {
      return open(await store.rotateCallbackSecrets(tenant, box.seal(secret), previousExpiresAt, now));
    },
    appendMessage: (message) => store.appendMessage(message),
    async claimDeliveries(owner, limit, leaseMs, now) {
      return (await store.claimDeliveries(owner, limit, leaseMs, now)).map(openDelivery);
    },
    recordDeliveryAttempt: (deliveryId, owner, attempt, now) =>
      store.recordDeliveryAttempt(deliveryId, owner, attempt, now),
    nextDeliveryDueAt: () => store.nextDeliveryDueAt(),
    listDeliveries: (query) => store.listDeliveries(query),
    deleteFinishedDeliveries: (finishedBefore) => store.deleteFinishedDeliveries(finishedBefore),
  };
}
