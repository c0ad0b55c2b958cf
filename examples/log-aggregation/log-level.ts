/** The levels log lines are counted by. */
export type Level = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';

const LEVEL_WORDS: Readonly<Record<string, Level>> = {
  FATAL: 'ERROR', ERROR: 'ERROR', WARNING: 'WARN', WARN: 'WARN', INFO: 'INFO', LOG: 'INFO', NOTICE: 'INFO', DEBUG: 'DEBUG', TRACE: 'DEBUG',
};
const LEVEL_WORD = /\b(FATAL|ERROR|WARNING|WARN|INFO|LOG|NOTICE|DEBUG|TRACE)\b/;
// An access log line (nginx's combined format): `… "GET /path HTTP/1.1" 503 1234 …`.
const HTTP_STATUS = /" ([1-5]\d\d) /;

/**
 * The level of a raw log line: the first level word in it (application and database logs: `ERROR`, `WARNING:`, …),
 * else, for an access log line, its HTTP status (5xx an error, 4xx a warning), else INFO.
 */
export function levelOf(message: string): Level {
  const word = LEVEL_WORD.exec(message);
  if (word) return LEVEL_WORDS[word[1]!]!;
  const status = HTTP_STATUS.exec(message);
  if (status) return status[1]!.startsWith('5') ? 'ERROR' : status[1]!.startsWith('4') ? 'WARN' : 'INFO';
  return 'INFO';
}
