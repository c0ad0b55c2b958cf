import test from 'ava';
import { keyValueStacks } from './contract/factories.ts';
import { keyValueContract } from './contract/key-value-contract.ts';

// the in-memory implementation × with/without change-logging × without cache / cache 0 bytes / 1 MiB / 300 bytes
for (const f of keyValueStacks()) if (f.label.startsWith('in-memory')) keyValueContract(test, f);
