import test from 'ava';
import { sessionStacks } from './contract/factories.ts';
import { sessionContract } from './contract/session-contract.ts';

// the RocksDB implementations (default; segment = 7 ms with a 200-byte write buffer) × logging × caching
for (const { label } of sessionStacks({ retentionPeriod: 1 })) {
  if (label.startsWith('rocksdb')) sessionContract(test, label, (p) => sessionStacks(p).find((f) => f.label === label)!);
}
