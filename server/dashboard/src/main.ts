/**
 * The live operations dashboard: paste an API key, see the tenant's monitors change as they run,
 * start operations, cancel them, and perform the steps that wait for a person.
 */
import './styles.css';
import { Api } from './api.ts';
import { storeApiKey, storedApiKey } from './api-key.ts';
import { byId, replaceChildren } from './dom.ts';
import { LiveUpdates } from './live-updates.ts';
import type { DashboardConfig } from './model.ts';
import { MonitorList } from './monitor-list.ts';
import { failureView, problemView } from './problem-view.ts';
import { setUpSubmitForm } from './submit-form.ts';

const keyForm = byId('key-form', HTMLFormElement);
const keyInput = byId('api-key', HTMLInputElement);
const forgetButton = byId('forget-key', HTMLButtonElement);
const connection = byId('connection', HTMLParagraphElement);
const main = byId('main', HTMLElement);
const filters = byId('filters', HTMLFormElement);
const stateFilter = byId('filter-state', HTMLSelectElement);
const kindFilter = byId('filter-kind', HTMLSelectElement);

let current: MonitorList | undefined;

/** The spec's operations and kinds, as the server describes them. */
async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch(new URL('config.json', location.href.replace(/\/?$/, '/')));
  if (!response.ok) throw new Error(`The dashboard's configuration answered ${response.status}.`);
  return (await response.json()) as DashboardConfig;
}

const config = loadConfig();

async function connect(apiKey: string): Promise<void> {
  current?.stop();
  const api = new Api(apiKey);
  const { operations, kinds } = await config;
  kindFilter.replaceChildren(new Option('any', ''), ...kinds.map((kind) => new Option(kind, kind)));
  const list = new MonitorList(api, new LiveUpdates(api), operations, {
    list: byId('monitor-list', HTMLUListElement),
    more: byId('load-more', HTMLButtonElement),
    outcome: byId('list-outcome', HTMLDivElement),
  });
  replaceChildren(connection, 'Connecting…');
  const first = await api.listMonitors({});
  if (!first.ok) {
    list.stop();
    replaceChildren(
      connection,
      first.problem ? problemView(first.problem, 'Not connected') : failureView(first.message),
    );
    storeApiKey(undefined);
    return;
  }
  current = list;
  storeApiKey(apiKey);
  keyInput.value = '';
  keyInput.placeholder = 'connected · paste to switch';
  keyInput.required = false;
  forgetButton.hidden = false;
  main.hidden = false;
  replaceChildren(connection, 'Connected. Monitors update live as their operations run.');
  stateFilter.value = '';
  kindFilter.value = '';
  await list.load({ state: '', kind: '' });
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (key !== '') void connect(key);
});

forgetButton.addEventListener('click', () => {
  current?.stop();
  current = undefined;
  storeApiKey(undefined);
  main.hidden = true;
  forgetButton.hidden = true;
  keyInput.required = true;
  keyInput.placeholder = '';
  replaceChildren(connection, 'The key is forgotten. Paste an API key to see this tenant’s operations.');
  keyInput.focus();
});

filters.addEventListener('submit', (event) => {
  event.preventDefault();
  void current?.load({ state: stateFilter.value, kind: kindFilter.value });
});
for (const select of [stateFilter, kindFilter]) {
  select.addEventListener('change', () => void current?.load({ state: stateFilter.value, kind: kindFilter.value }));
}

config.then(
  ({ operations }) => {
    setUpSubmitForm(
      {
        form: byId('submit-form', HTMLFormElement),
        operation: byId('operation', HTMLSelectElement),
        path: byId('operation-path', HTMLInputElement),
        body: byId('operation-body', HTMLTextAreaElement),
        outcome: byId('submit-outcome', HTMLDivElement),
      },
      operations,
      {
        api: () => current?.api,
        accepted: (monitor) => current?.add(monitor),
        refresh: async () => current?.refreshNewest(),
      },
    );
  },
  (error: unknown) => replaceChildren(connection, failureView(String(error))),
);

const kept = storedApiKey();
if (kept !== undefined) void connect(kept);
