import test from 'ava';
import { keyValueStacks } from './contract/factories.ts';
import { keyValueContract } from './contract/key-value-contract.ts';

// the RocksDB implementations (default and tiny write buffer) × with/without change-logging × every cache size
for (const f of keyValueStacks()) if (f.label.startsWith('rocksdb')) keyValueContract(test, f);
