import test from 'ava';
import { Duration } from 'luxon';
import { TimeWindows, SessionWindows, TopologyError, toMillis } from '@ts-streams/dsl';

const FORMS = /must be a duration: a number of milliseconds \(e\.g\. 300000\), an object of units such as \{ minutes: 5 \}.*or a luxon Duration/;

test('the accepted forms of a duration give milliseconds', (t) => {
  t.is(toMillis(300_000, 'x'), 300_000);
  t.is(toMillis({ minutes: 5 }, 'x'), 300_000);
  t.is(toMillis({ hours: 1, minutes: 30 }, 'x'), 5_400_000);
  t.is(toMillis(Duration.fromISO('PT5M'), 'x'), 300_000);
});

test("an untyped duration string such as '5m' says what forms are accepted and what was given, not luxon's message", (t) => {
  const e = t.throws(() => TimeWindows.ofSizeWithNoGrace('5m' as never), { instanceOf: TopologyError })!;
  t.regex(e.message, /^TimeWindows size must be a duration/);
  t.regex(e.message, FORMS);
  t.regex(e.message, /got the string "5m"/);
  t.notRegex(e.message, /Duration\.fromObject|argument expected/);
  t.regex(t.throws(() => TimeWindows.ofSizeWithNoGrace('PT5M' as never))!.message, /got the string "PT5M"/);
});

test('other values that are not durations: undefined, null, a bigint, a Date, an array', (t) => {
  for (const [bad, shown] of [
    [undefined, /got undefined/],
    [null, /got null/],
    [5n, /got the bigint 5n/],
    [new Date(0), /got an object \(Date\)/],
    [[5], /got an object \(Array\)/],
  ] as const) {
    const e = t.throws(() => SessionWindows.ofInactivityGapWithNoGrace(bad as never), { instanceOf: TopologyError })!;
    t.regex(e.message, /^SessionWindows gap must be a duration/);
    t.regex(e.message, FORMS);
    t.regex(e.message, shown);
  }
});

test('an object with a unit luxon does not know names the object, and keeps luxon\'s error as the cause', (t) => {
  const e = t.throws(() => TimeWindows.ofSizeWithNoGrace({ mins: 5 } as never), { instanceOf: TopologyError })!;
  t.regex(e.message, FORMS);
  t.regex(e.message, /got \{"mins":5\}: Invalid unit mins/);
  t.true(e.cause instanceof Error);
});

test('a non-finite or negative duration keeps its message', (t) => {
  t.throws(() => TimeWindows.ofSizeWithNoGrace(Number.NaN), { instanceOf: TopologyError, message: 'TimeWindows size must be a finite duration, got NaN' });
  t.throws(() => TimeWindows.ofSizeAndGrace(10, -1), { instanceOf: TopologyError, message: 'TimeWindows grace must not be negative, got -1 ms' });
});
