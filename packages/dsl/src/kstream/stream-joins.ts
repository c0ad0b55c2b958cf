import { TopologyError } from '../errors/topology-error.ts';
// TODO(lead): placeholder until the operator family lands in this session.
export function streamJoin(..._args: any[]): any { throw new TopologyError('streamJoin is not available yet'); }
