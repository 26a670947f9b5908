// Runs the in-process EventStoreDB test double as a standalone server, so the whole application
// can run against it without Docker:
//   tsx scripts/esdb-double.ts --port 2113 [--host 127.0.0.1] [--server-version 23.10|24.10]
// then EVENTSTORE_URL=esdb://127.0.0.1:2113?tls=false. The log lives in memory only.
import { parseArgs } from 'node:util';
import { startEsdbDouble } from '../test/support/esdb-double/esdb-double.js';
import { DEFAULT_SERVER_VERSION, serverVersionSchema } from '../test/support/esdb-double/server-version.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2113' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-batch-append': { type: 'boolean', default: false },
    'server-version': { type: 'string', default: DEFAULT_SERVER_VERSION },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be an integer from 0 to 65535, got ${values.port}`);
  process.exit(2);
}

const serverVersion = serverVersionSchema.safeParse(values['server-version']);
if (!serverVersion.success) {
  console.error(`--server-version must be one of ${serverVersionSchema.options.join(', ')}, got ${values['server-version']}`);
  process.exit(2);
}

const double = await startEsdbDouble({
  port,
  host: values.host,
  batchAppend: !values['no-batch-append'],
  serverVersion: serverVersion.data,
});
console.log(`EventStoreDB ${double.serverVersion} test double listening: EVENTSTORE_URL=${double.connectionString}`);
console.log('In-memory only: everything is lost when it stops. Ctrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void double.stop().then(() => process.exit(0));
  });
}
