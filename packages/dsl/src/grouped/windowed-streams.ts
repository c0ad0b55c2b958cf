import { TopologyError } from '../errors/topology-error.ts';
// TODO(lead): placeholder until the operator family lands in this session.
export function windowedStream(..._args: any[]): any { throw new TopologyError('windowedStream is not available yet'); }
