// `streams describe <topology>`: the topology as text (Kafka's TopologyDescription), Mermaid or DOT.
import { choiceFlag, parseFlags } from './parse-flags.ts';
import { loadTopology } from './load-topology.ts';

const FORMATS = ['text', 'mermaid', 'dot'] as const;

export async function describe(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags('describe', args, { format: { type: 'string' } }, { names: ['topology'], required: 1 });
  const format = choiceFlag('describe', 'format', flags.format, FORMATS) ?? 'text';
  const { topology } = await loadTopology(positionals[0]!);
  const text = format === 'mermaid' ? topology.toMermaid() : format === 'dot' ? topology.toDot() : topology.describe();
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}
