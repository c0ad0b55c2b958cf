import type { CommandInfo } from './command.ts';

// The commands and their help, apart from what they run (loaded only when run): help needs no client library.

const TARGET_FLAGS_HELP = `  --brokers <host:port,...>  run on Kafka at these brokers (default: the embedded log)
  --client <kafkajs|kafkats> the Kafka client library, with --brokers (default: kafkajs)
  --state-dir <dir>          the state directory, where the embedded log lives too (default: .streams/)`;

const APP_FLAGS_HELP = `  --app-id <id>              the application id (default: the topology file's folder name)
  --config <file>            StreamsConfig options: a .json file, or a module exporting them (default export)
${TARGET_FLAGS_HELP}`;

export const COMMANDS: readonly CommandInfo[] = [
  {
    name: 'run',
    summary: 'run a topology (topology.ts, or a folder with one)',
    help: `Usage: streams run <topology.ts | folder> [--brokers host:port] [--app-id <id>] [--state-dir <dir>]
                   [--config <file>] [--from-beginning] [--print <topic>] [--log-level <level>]
                   [--no-type-check]

Runs the topology the file exports (export default a Topology, or a function of a StreamsBuilder; an
exported \`config\` holds StreamsConfig options). A folder runs its topology.ts and, on the embedded log, its
generator.ts (input for the example). Ctrl-C (SIGINT) or SIGTERM finishes the batch in progress, commits,
closes and exits 0; the next run resumes from the committed position with its state.

On a terminal a status line shows the state, tasks, records in and out per second, lag and commits; off
one, the status is logged every 10 s. Logs go to stderr (pino: JSON lines off a terminal).

A topology file may export \`print\`, the topic printed when --print is not given, and \`view\`, a TopicView
(@ts-streams/runtime): on a terminal, the records of its topic are handed to it as they are written and its
lines are shown above the status line, redrawn in place (instead of printing \`print\` there).

On the embedded log the run holds the state directory's log: a second run there is refused, and the other
commands (produce, tail, topics, lag, reset) reach the log through this process, on a local socket in the state
directory, while it runs.

Flags:
  --from-beginning           reprocess the input from its beginning: reset the application first, as
                             'streams reset --yes' does (committed offsets back to the start, internal
                             topics and local state removed); the view then reads its topic from its
                             beginning. Without it a new application reads its input from the beginning too
                             (autoOffsetReset 'earliest', as Kafka Streams), and one that ran before resumes
                             from its committed position with its state
  --print <topic>            print what the application writes to this topic from now on, as JSON lines on
                             stdout, decoded with the topology's serdes
  --log-level <level>        trace, debug, info (default), warn, error, fatal or silent
  --no-type-check            run without type-checking the files first (see below)
${APP_FLAGS_HELP}
  -h, --help                 this help

The configuration: the topology's exported config, then --config, then the flags, each over the one before.

Before running, the topology file, its folder's generator.ts and a --config module are type-checked, with what
they import, by the TypeScript the project has (the options of the nearest tsconfig.json, else strict): an
error stops the run with its file:line:col. A check that passed is kept in <state-dir>/.type-check/ and not
redone while the files stay the same.`,
    load: async () => (await import('./run-entry.ts')).run,
  },
  {
    name: 'produce',
    summary: 'write records to a topic from stdin or a file',
    help: `Usage: streams produce <topic> [--file <file>] [--json] [--key-serde <serde>] [--value-serde <serde>]

Reads records, one per line, from stdin (or --file) and writes them to the topic:
  key<TAB>value                      a line without a tab is a value with a null key
  {"key": …, "value": …, "timestamp": …, "headers": …}   with --json (timestamp: epoch ms or an ISO
                                     date, default now; headers: {"name": "value"} or [{"key", "value"}])
Keys and values are serialized with the serdes (default string): string, json, long, integer, double,
bytes-hex (hex digits). A key goes to the partition Kafka's default partitioner picks (murmur2), so records
of one key stay in order. Prints how many records went to each partition.

  printf 'user-1\\t{"page":"/home"}\\n' | streams produce clicks --value-serde json

Flags:
  --file <file>              read this file instead of stdin
  --json                     lines are JSON objects
  --key-serde <serde>        string (default), json, long, integer, double or bytes-hex
  --value-serde <serde>      the same, for values
${TARGET_FLAGS_HELP}
  -h, --help                 this help`,
    load: async () => (await import('./produce-command.ts')).produce,
  },
  {
    name: 'tail',
    summary: 'print the records of a topic as JSON lines',
    help: `Usage: streams tail <topic> [--from-beginning] [--max <n>] [--timeout-ms <n>] [--topology <file>]
                           [--key-serde <serde>] [--value-serde <serde>]

Prints the topic's records as they arrive, one JSON object per line:
  {"topic", "partition", "offset", "timestamp", "key", "value", "headers": [{"key", "value"}]}
keys and values decoded with the serdes given, or with those the topology declares for the topic
(--topology), else as strings. Runs until Ctrl-C, --max records or --timeout-ms without a record.
On the embedded log, a tail reading through a running 'streams run' outlives it: when the run stops, it
reads on from the log itself (and hands the log to the next run, reading on through it), from where it
had got to — no record printed twice, none missed.

Flags:
  --from-beginning           start at the beginning of the topic (default: only new records)
  --max <n>                  exit after n records
  --timeout-ms <n>           exit after n ms without a record
  --topology <file>          decode with the serdes this topology declares for the topic
  --key-serde <serde>        string, json, long, integer, double or bytes-hex (default: string)
  --value-serde <serde>      the same, for values
${TARGET_FLAGS_HELP}
  -h, --help                 this help`,
    load: async () => (await import('./tail-command.ts')).tail,
  },
  {
    name: 'topics',
    summary: 'list the topics: name, partitions, end offsets',
    help: `Usage: streams topics [--brokers host:port]

Lists every topic (the cluster's own, named __…, left out) with its partition count and each partition's end
offset (the offset the next record will get), and their sum.

Flags:
${TARGET_FLAGS_HELP}
  -h, --help                 this help`,
    load: async () => (await import('./topics-command.ts')).listTopics,
  },
  {
    name: 'describe',
    summary: 'print a topology: its sub-topologies, processors, topics and stores',
    help: `Usage: streams describe <topology.ts | folder> [--format text|mermaid|dot]

Prints the topology without running it:
  text     Kafka Streams' TopologyDescription (default)
  mermaid  a Mermaid flowchart (paste into a Markdown file or mermaid.live)
  dot      a Graphviz digraph (streams describe topology.ts --format dot | dot -Tsvg > topology.svg)

Flags:
  --format <format>  text, mermaid or dot
  -h, --help         this help`,
    load: async () => (await import('./describe-command.ts')).describe,
  },
  {
    name: 'lag',
    summary: "an application's committed offset, end offset and lag per input partition",
    help: `Usage: streams lag <topology.ts | folder> [--app-id <id>]

For each partition the application reads (its input topics and its repartition topics), the offset it
committed, the partition's end offset, and the lag between them; then the total. A partition it never
committed on shows '-'.

Flags:
${APP_FLAGS_HELP}
  -h, --help                 this help`,
    load: async () => (await import('./lag-command.ts')).lag,
  },
  {
    name: 'reset',
    summary: "reset an application: positions back to the start, internal topics and local state removed",
    help: `Usage: streams reset <topology.ts | folder> [--yes] [--app-id <id>]

Kafka Streams' application reset tool: the application's committed offsets on its input topics go back to
the beginning, its internal topics (<app-id>-…-changelog, <app-id>-…-repartition) are deleted, and its local
state (<state-dir>/<app-id>) is removed, so that its next run reprocesses the input from scratch. The
application must not be running. Asks before doing anything, unless --yes.

Flags:
  --yes                      do not ask
${APP_FLAGS_HELP}
  -h, --help                 this help`,
    load: async () => (await import('./reset-command.ts')).reset,
  },
];
