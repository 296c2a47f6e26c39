import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "The result of recomputing a change-record hash chain (incident or service)." })
export class HistoryVerification {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Int, { description: "Records checked." })
  checked!: number;

  @Field(() => Int, { nullable: true, description: "The first record that does not add up." })
  firstBrokenVersion!: number | null;

  @Field(() => String)
  message!: string;
}
