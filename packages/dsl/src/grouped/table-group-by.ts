import { TopologyError } from '../errors/topology-error.ts';
// TODO(lead): placeholder until the operator family lands in this session.
export function tableGroupBy(..._args: any[]): any { throw new TopologyError('tableGroupBy is not available yet'); }
