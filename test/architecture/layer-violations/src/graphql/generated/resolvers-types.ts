export type Answer = number;
