import test from 'ava';
import { javaStringHash, javaHashOrder, grownCapacity, copiedCapacity } from '../../src/topology/java-hash-order.ts';
import { JavaTreeSet } from '../../src/topology/java-tree-set.ts';

// describe() prints what Kafka Streams' Java collections hold, in their order; expected values were printed by Java 17.

test('javaStringHash is String#hashCode (32-bit overflow, UTF-16 code units)', (t) => {
  t.is(javaStringHash(''), 0);
  t.is(javaStringHash('hello'), 99162322);
  t.is(javaStringHash('KSTREAM-SOURCE-0000000000'), 1861603632);
  t.is(javaStringHash('KTABLE-JOINTHIS-0000000005'), -261869664);
  t.is(javaStringHash('é€'), 15587);
});

test('javaHashOrder iterates as java.util.HashSet, grown by adds or copied from a collection', (t) => {
  const names = Array.from({ length: 14 }, (_, i) => `KSTREAM-FILTER-${String(i * 7).padStart(10, '0')}`).concat(['a-sink', 'by-value']);
  // new HashSet<>() + add(...) of all 16: grown to 32 buckets
  t.deepEqual(javaHashOrder(names, grownCapacity(names.length)).join(','),
    'KSTREAM-FILTER-0000000007,by-value,KSTREAM-FILTER-0000000049,KSTREAM-FILTER-0000000028,KSTREAM-FILTER-0000000021,KSTREAM-FILTER-0000000000,KSTREAM-FILTER-0000000077,a-sink,KSTREAM-FILTER-0000000063,KSTREAM-FILTER-0000000042,KSTREAM-FILTER-0000000014,KSTREAM-FILTER-0000000056,KSTREAM-FILTER-0000000035,KSTREAM-FILTER-0000000091,KSTREAM-FILTER-0000000084,KSTREAM-FILTER-0000000070');
  // new HashSet<>(first 12): 32 buckets (a grown set of 12 would still have 16)
  t.is(copiedCapacity(12), 32);
  t.is(grownCapacity(12), 16);
  t.deepEqual(javaHashOrder(names.slice(0, 12), copiedCapacity(12)).join(','),
    'KSTREAM-FILTER-0000000007,KSTREAM-FILTER-0000000049,KSTREAM-FILTER-0000000028,KSTREAM-FILTER-0000000021,KSTREAM-FILTER-0000000000,KSTREAM-FILTER-0000000077,KSTREAM-FILTER-0000000063,KSTREAM-FILTER-0000000042,KSTREAM-FILTER-0000000014,KSTREAM-FILTER-0000000056,KSTREAM-FILTER-0000000035,KSTREAM-FILTER-0000000070');
  t.deepEqual(javaHashOrder(names.slice(0, 5), copiedCapacity(5)).join(','),
    'KSTREAM-FILTER-0000000007,KSTREAM-FILTER-0000000028,KSTREAM-FILTER-0000000021,KSTREAM-FILTER-0000000000,KSTREAM-FILTER-0000000014');
});

test('JavaTreeSet iterates in comparator order and ignores an element comparing equal', (t) => {
  const set = new JavaTreeSet<number>((a, b) => a - b);
  for (const n of [5, 3, 9, 1, 4, 8, 2, 7, 6, 0, 3]) set.add(n);
  t.deepEqual([...set], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('JavaTreeSet places an element by the comparisons made on the way down, as TreeMap#put', (t) => {
  // Weights change after insertion (as sub-tree sizes do in Kafka's describe()): the tree is not re-sorted.
  const weight = new Map([['a', 1], ['b', 2], ['c', 3]]);
  const set = new JavaTreeSet<string>((x, y) => weight.get(x)! - weight.get(y)!);
  set.add('b');
  set.add('a');
  weight.set('a', 10); // 'a' now compares after everything, but stays where it was put
  set.add('c'); // compared with root 'b' only: goes right
  t.deepEqual([...set], ['a', 'b', 'c']);
  weight.set('d', 5);
  set.add('d'); // b (2) < d, c (3) < d: right of c
  t.deepEqual([...set], ['a', 'b', 'c', 'd']);
});
