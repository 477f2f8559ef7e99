/** @packageDocumentation Node entry. */
export * from "./index";
