import test from 'ava';
import { windowStacks } from './contract/factories.ts';
import { windowContract } from './contract/window-contract.ts';

// the RocksDB implementations (default; segment = 1 ms with a 200-byte write buffer) × logging × caching
for (const { label } of windowStacks({ retentionPeriod: 1, windowSize: 1 })) {
  if (label.startsWith('rocksdb')) windowContract(test, label, (p) => windowStacks(p).find((f) => f.label === label)!);
}
