// Type-level assertions for the declaration tests: nothing here runs.

/** `true` when A and B are the same type, not merely assignable one way. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when T is `true`: `type _ = Expect<Equal<A, B>>`. */
export type Expect<T extends true> = T;
