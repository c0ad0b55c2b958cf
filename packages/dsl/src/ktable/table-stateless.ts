import { TopologyError } from '../errors/topology-error.ts';
// TODO(lead): placeholder until the operator family lands in this session.
export function tableFilter(..._args: any[]): any { throw new TopologyError('tableFilter is not available yet'); }
export function tableMapValues(..._args: any[]): any { throw new TopologyError('tableMapValues is not available yet'); }
