import { TopologyError } from '../errors/topology-error.ts';
// TODO(lead): placeholder until the operator family lands in this session.
export function tableSuppress(..._args: any[]): any { throw new TopologyError('tableSuppress is not available yet'); }
