export { TopologyError } from './topology-error.ts';
