export { TopologyTestDriver } from './driver/topology-test-driver.ts';
export type { TopologyTestDriverOptions } from './driver/topology-test-driver.ts';
export type { EmitIntervals } from './compile/emit-intervals.ts';
export { TestInputTopic } from './driver/test-input-topic.ts';
export { TestOutputTopic } from './driver/test-output-topic.ts';
export type { TestRecord } from './driver/test-record.ts';
