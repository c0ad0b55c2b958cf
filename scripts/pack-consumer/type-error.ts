// A user's mistake the published .d.ts files must catch (the installed-packages test expects exactly this error): a
// stream of numbers written with a String value serde.
import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';

const builder = new StreamsBuilder();
builder
  .stream('in', Consumed.with(Serdes.String(), Serdes.String()))
  .mapValues((v) => v.length)
  .to('out', Produced.with(Serdes.String(), Serdes.String()));
