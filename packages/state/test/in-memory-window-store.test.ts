import test from 'ava';
import { windowStacks } from './contract/factories.ts';
import { windowContract } from './contract/window-contract.ts';

for (const { label } of windowStacks({ retentionPeriod: 1, windowSize: 1 })) {
  if (label.startsWith('in-memory')) windowContract(test, label, (p) => windowStacks(p).find((f) => f.label === label)!);
}
