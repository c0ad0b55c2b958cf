/**
 * The brokers a client adapter is given, as a list: a comma-separated string or an array, entries trimmed, empty ones
 * dropped. None left is an error naming the adapter (`owner`) and the form expected.
 */
export function bootstrapServerList(servers: string | readonly string[], owner: string): string[] {
  const brokers = (typeof servers === 'string' ? servers.split(',') : servers).map((address) => address.trim()).filter((address) => address !== '');
  if (brokers.length === 0) throw new TypeError(`${owner}: bootstrapServers names no broker; give at least one 'host:port'`);
  return brokers;
}
