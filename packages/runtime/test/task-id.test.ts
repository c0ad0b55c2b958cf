import test from 'ava';
import { TaskId } from '../src/assignment/task-id.ts';
import { StreamsError } from '../src/errors/streams-error.ts';

test('a task id prints and parses as Kafka Streams\' <subtopology>_<partition>', (t) => {
  const id = new TaskId(2, 15);
  t.is(id.toString(), '2_15');
  t.is(`${id}`, '2_15');
  t.true(TaskId.parse('2_15').equals(id));
  t.false(TaskId.parse('15_2').equals(id));
});

test('task ids order by sub-topology, then partition', (t) => {
  const sorted = ['1_0', '0_10', '0_2', '10_1', '2_0'].map(TaskId.parse).sort(TaskId.compare).map(String);
  t.deepEqual(sorted, ['0_2', '0_10', '1_0', '2_0', '10_1']);
});

test('anything else is an error naming it', (t) => {
  for (const bad of ['', '1', '1_', '_1', '1_2_3', '-1_0', '0_-1', 'a_1', '1.5_0', ' 1_0', '99999999999_0']) {
    t.throws(() => TaskId.parse(bad), { instanceOf: StreamsError }, bad);
  }
  t.throws(() => new TaskId(-1, 0), { instanceOf: StreamsError, message: /-1_0/ });
  t.throws(() => new TaskId(0, 0.5), { instanceOf: StreamsError });
});
