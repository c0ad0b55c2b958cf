import { TopologyError } from '../errors/topology-error.ts';
// TODO(lead): placeholder until the operator family lands in this session.
export function tableTableJoin(..._args: any[]): any { throw new TopologyError('tableTableJoin is not available yet'); }
