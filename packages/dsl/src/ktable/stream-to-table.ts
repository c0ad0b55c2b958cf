import { TopologyError } from '../errors/topology-error.ts';
// TODO(lead): placeholder until the operator family lands in this session.
export function streamToTable(..._args: any[]): any { throw new TopologyError('streamToTable is not available yet'); }
