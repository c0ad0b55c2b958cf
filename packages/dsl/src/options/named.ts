/** Names a processor step explicitly (Kafka Streams' Named.as). */
export interface Named {
  readonly name?: string;
}
export const Named = {
  as(name: string): Named {
    return { name };
  },
};
