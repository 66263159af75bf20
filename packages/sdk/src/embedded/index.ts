export { createEngine, type EmbeddedEngine, type EmbeddedOptions } from "./createEngine";
