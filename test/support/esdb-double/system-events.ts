// The records a real server writes on its own, so that $all is never just the user's events:
// what a fresh database holds at start, and the link events of the $streams and $by_category
// system projections after each user append.
import { systemEvent, type EventLog, type LogRecord } from './event-log.js';

export function writeStartupEvents(log: EventLog): void {
  log.writeSystemEvents('$settings', [
    systemEvent('$settings', '{"$userStreamAcl":{"$r":"$all","$w":"$all"},"$systemStreamAcl":{"$r":"$admins"}}'),
  ]);
  log.writeSystemEvents('$user-admin', [systemEvent('$user', '{"loginName":"admin","fullName":"Event Store Administrator"}')]);
  log.writeSystemEvents('$projections-$all', [systemEvent('$ProjectionsInitialized', '')]);
}

export function linkToSystemStreams(log: EventLog, written: LogRecord[]): void {
  const userRecords = written.filter((record) => !record.streamName.startsWith('$'));
  for (const record of userRecords) {
    if (record.revision === 0n) log.writeSystemEvents('$streams', [linkTo(record)]);
    const category = record.streamName.split('-')[0]!;
    log.writeSystemEvents(`$ce-${category}`, [linkTo(record)]);
  }
}

/** A `$>` link event: its data points at the linked event as `<revision>@<stream>`. */
function linkTo(record: LogRecord) {
  return {
    ...systemEvent('$>', '', JSON.stringify({ $causedBy: record.id, $o: record.streamName })),
    contentType: 'application/octet-stream',
    data: new TextEncoder().encode(`${record.revision}@${record.streamName}`),
  };
}
