import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessNode, ProcessValuesNode } from '@ts-streams/dsl';

/** KStream#process / processValues: the user's processor, a fresh one per task. */
export const process: ProcessorFactory<ProcessNode | ProcessValuesNode> = (node) => node.supplier();
