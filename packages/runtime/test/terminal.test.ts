// The terminal's live block as bytes: what `streams run` writes to a TTY so that the panel (a topology's view) and
// the status line are rewritten in place and log lines never mix with them. A real writable stream stands for the
// TTY (isTTY, columns and rows set as a terminal's are); the pseudo-terminal tests run the CLI on a real one.
import { Writable } from 'node:stream';
import test from 'ava';
import { Terminal } from '../src/cli/terminal.ts';

/** A stream that keeps each write (one chunk per write call). */
function tty(columns: number, rows: number): { stream: NodeJS.WriteStream; writes: string[]; written: () => string; clear: () => void } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns, rows });
  return { stream: stream as unknown as NodeJS.WriteStream, writes, written: () => writes.join(''), clear: () => void writes.splice(0) };
}

test('the status line alone is rewritten in place; a log line erases it and it comes back below', (t) => {
  const err = tty(80, 24);
  const out = tty(80, 24);
  const terminal = new Terminal(out.stream, err.stream);
  t.true(terminal.interactive);
  terminal.status('RUNNING · 1 task');
  terminal.status('RUNNING · 2 tasks');
  t.is(err.written(), '\r\x1b[2KRUNNING · 1 task\r\x1b[2KRUNNING · 2 tasks');
  err.clear();
  terminal.err('a log line');
  terminal.out('{"a record":1}');
  t.is(err.written(), '\r\x1b[2Ka log line\nRUNNING · 2 tasks\r\x1b[2KRUNNING · 2 tasks');
  t.is(out.written(), '{"a record":1}\n');
  err.clear();
  terminal.clearStatus();
  terminal.err('after');
  t.is(err.written(), '\r\x1b[2Kafter\n', 'cleared for good: nothing redrawn after the line');
});

test('a panel above the status line: the whole block is erased from its first line down and redrawn, in one write', (t) => {
  const err = tty(80, 24);
  const writes = err.writes;
  const terminal = new Terminal(tty(80, 24).stream, err.stream);
  terminal.panel(['Top pages', ' 1  /home  3']);
  terminal.status('RUNNING');
  terminal.panel(['Top pages', ' 1  /home  4', ' 2  /cart  1']);
  t.deepEqual(writes, [
    '\r\x1b[2KTop pages\n 1  /home  3',
    '\x1b[1A\r\x1b[JTop pages\n 1  /home  3\nRUNNING',
    '\x1b[2A\r\x1b[JTop pages\n 1  /home  4\n 2  /cart  1\nRUNNING',
  ]);
  err.clear();
  terminal.err('a log line');
  t.deepEqual(writes, ['\x1b[3A\r\x1b[J', 'a log line\n', 'Top pages\n 1  /home  4\n 2  /cart  1\nRUNNING']);
  err.clear();
  terminal.clearStatus();
  t.deepEqual(writes, ['\x1b[3A\r\x1b[J']);
});

test('lines are cut to the width and the panel to the height of the terminal, so that every line can be erased', (t) => {
  const err = tty(12, 5);
  const terminal = new Terminal(tty(12, 5).stream, err.stream);
  terminal.panel(['0123456789abcdef', 'b', 'c', 'd', 'e']);
  t.is(err.written(), '\r\x1b[2K0123456789…\nb\n…');
});

test('off a TTY there is no live block: lines are written as they are', (t) => {
  const err = tty(80, 24);
  Object.assign(err.stream, { isTTY: false });
  const terminal = new Terminal(tty(80, 24).stream, err.stream);
  t.false(terminal.interactive);
  terminal.panel(['a table']);
  terminal.status('RUNNING');
  terminal.err('a log line');
  terminal.clearStatus();
  t.is(err.written(), 'a log line\n');
});

test('stdout redirected, stderr a TTY: records go to stdout as they are, the live block stays on the screen untouched (no redraw per record)', (t) => {
  const err = tty(80, 24);
  const file: string[] = [];
  const redirected = new Writable({
    write(chunk: Buffer, _encoding, done) {
      file.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream; // a file or a pipe: no isTTY
  const terminal = new Terminal(redirected, err.stream);
  t.true(terminal.interactive);
  terminal.panel(['Top pages', ' 1  /home  3']);
  terminal.status('RUNNING · 4 tasks');
  err.clear();
  for (let i = 0; i < 100; i++) terminal.out(`{"offset":${i}}`);
  t.is(err.written(), '', 'the screen is not touched');
  t.is(file.join(''), Array.from({ length: 100 }, (_, i) => `{"offset":${i}}\n`).join(''));
  terminal.err('a log line');
  t.is(err.written(), '\x1b[2A\r\x1b[Ja log line\nTop pages\n 1  /home  3\nRUNNING · 4 tasks', 'a log line still goes above the block');
});
