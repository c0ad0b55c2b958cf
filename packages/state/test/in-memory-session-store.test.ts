import test from 'ava';
import { sessionStacks } from './contract/factories.ts';
import { sessionContract } from './contract/session-contract.ts';

for (const { label } of sessionStacks({ retentionPeriod: 1 })) {
  if (label.startsWith('in-memory')) sessionContract(test, label, (p) => sessionStacks(p).find((f) => f.label === label)!);
}
