import { startWordCounts } from './word-counts.ts';

const server = await startWordCounts({ dataDir: '.data' });
const { url } = await server.listen(Number(process.env.PORT ?? 3000));
console.log(`listening on ${url}`);
// Docker and Ctrl-C stop it cleanly: accepted operations stay in the store and resume on the next start.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close());
