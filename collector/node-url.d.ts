// The two IDNA functions of node:url that workerd provides under nodejs_compat (the Worker's
// tsconfig has no Node types; Node-side code gets the full declaration from @types/node).
declare module "node:url" {
  export function domainToASCII(domain: string): string;
  export function domainToUnicode(domain: string): string;
}
