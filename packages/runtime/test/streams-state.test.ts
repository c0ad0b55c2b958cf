import test from 'ava';
import { lastValueFrom, toArray } from 'rxjs';
import { StreamsStateMachine, isTerminal, type StreamsState } from '../src/app/streams-state.ts';
import { StreamsError } from '../src/errors/streams-error.ts';

const ALL: StreamsState[] = ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING', 'PENDING_ERROR', 'ERROR'];

/** A machine brought to `state` along valid moves. */
function at(state: StreamsState): StreamsStateMachine {
  const path: Record<StreamsState, StreamsState[]> = {
    CREATED: [],
    REBALANCING: ['REBALANCING'],
    RUNNING: ['REBALANCING', 'RUNNING'],
    PENDING_SHUTDOWN: ['PENDING_SHUTDOWN'],
    NOT_RUNNING: ['PENDING_SHUTDOWN', 'NOT_RUNNING'],
    PENDING_ERROR: ['REBALANCING', 'PENDING_ERROR'],
    ERROR: ['REBALANCING', 'PENDING_ERROR', 'ERROR'],
  };
  const m = new StreamsStateMachine();
  for (const s of path[state]) moved(m.transitionTo(s), s);
  return m;
}
function moved(ok: boolean, s: StreamsState): void {
  if (!ok) throw new Error(`setup: could not move to ${s}`);
}

test('a run: CREATED → REBALANCING ⇄ RUNNING → PENDING_SHUTDOWN → NOT_RUNNING, each change emitted once, then completion', async (t) => {
  const m = new StreamsStateMachine();
  const seen = lastValueFrom(m.state$.pipe(toArray()));
  for (const s of ['REBALANCING', 'RUNNING', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING'] as const) t.true(m.transitionTo(s));
  t.deepEqual(await seen, ['CREATED', 'REBALANCING', 'RUNNING', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
  t.is(m.state, 'NOT_RUNNING');
});

test('state$ gives a new subscriber the current state at once, and after the end the final state and completion', async (t) => {
  const m = at('RUNNING');
  const first: StreamsState[] = [];
  m.state$.subscribe((s) => first.push(s)).unsubscribe();
  t.deepEqual(first, ['RUNNING']);
  m.transitionTo('PENDING_ERROR');
  m.transitionTo('ERROR');
  t.deepEqual(await lastValueFrom(m.state$.pipe(toArray())), ['ERROR']);
  t.is(await lastValueFrom(m.state$), 'ERROR');
});

test("exactly Kafka Streams' transitions are allowed; a wrong one out of a running state is an error naming both", (t) => {
  const valid: Record<StreamsState, StreamsState[]> = {
    CREATED: ['REBALANCING', 'PENDING_SHUTDOWN'],
    REBALANCING: ['RUNNING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
    RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
    PENDING_SHUTDOWN: ['NOT_RUNNING'],
    NOT_RUNNING: [],
    PENDING_ERROR: ['ERROR'],
    ERROR: [],
  };
  for (const from of ALL) {
    for (const to of ALL) {
      const m = at(from);
      const label = `${from} → ${to}`;
      if (valid[from].includes(to)) {
        t.true(m.transitionTo(to), label);
        t.is(m.state, to, label);
      } else if (from === to || from === 'PENDING_SHUTDOWN' || from === 'PENDING_ERROR' || isTerminal(from)) {
        // Ignored, as Kafka Streams ignores them: a rebalance or an error racing a shutdown, a repeated state.
        t.false(m.transitionTo(to), label);
        t.is(m.state, from, label);
      } else {
        const e = t.throws(() => m.transitionTo(to), { instanceOf: StreamsError }, label)!;
        t.regex(e.message, new RegExp(`from ${from} to ${to}: from ${from} it can only go to ${valid[from].join(' or ')}\\.`));
        t.is(m.state, from, label);
      }
    }
  }
});

test('a refused or ignored move emits nothing', (t) => {
  const m = at('PENDING_SHUTDOWN');
  const seen: StreamsState[] = [];
  m.state$.subscribe((s) => seen.push(s));
  t.false(m.transitionTo('PENDING_ERROR'));
  t.false(m.transitionTo('RUNNING'));
  t.true(m.transitionTo('NOT_RUNNING'));
  t.false(m.transitionTo('PENDING_SHUTDOWN'));
  t.deepEqual(seen, ['PENDING_SHUTDOWN', 'NOT_RUNNING']);
});
