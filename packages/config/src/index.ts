export * from "./errors.js";
export * from "./options/index.js";
