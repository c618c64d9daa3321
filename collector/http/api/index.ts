import type { OpenAPIHono } from "@hono/zod-openapi";
import { AccountImportRow, accountRoutes } from "./accounts";
import { alertRoutes } from "./alerts";
import { channelRoutes } from "./channels";
import { exportRoutes } from "./export";
import { DOCUMENTED_ONLY as INGEST_BODIES, ingestRoutes } from "./ingest";
import { managementRoutes } from "./management";
import { marketingRoutes, SpendImportRow } from "./marketing";
import { metaRoutes } from "./meta";
import { operationsRoutes } from "./operations";
import { privacyRoutes } from "./privacy";
import { pipelineRoutes } from "./pipeline";
import { DealImportRow, revenueRoutes } from "./revenue";

// The route declarations, joined: the Worker implements them (collector/http/*.ts), the document
// is generated from what it implements, and the clients are typed from `ApiType`. The six
// single-call Segment routes (`segmentCall(type)`) are built per type and no client calls them.

export const ROUTES = [...managementRoutes, ...accountRoutes, ...revenueRoutes, ...pipelineRoutes, ...marketingRoutes, ...exportRoutes, ...channelRoutes, ...operationsRoutes, ...alertRoutes, ...privacyRoutes, ...ingestRoutes, ...metaRoutes] as const;

/** Bodies the document describes that handlers read and judge themselves (by $ref). */
export const DOCUMENTED_ONLY = { ...INGEST_BODIES, AccountImportRow, DealImportRow, SpendImportRow } as const;

// Types only: what `app.openapiRoutes(ROUTES)` would be, without the Worker's handlers, so a
// client compiles against the declarations alone (no bindings, no storage).
declare const api: OpenAPIHono;
type Entries<T extends readonly unknown[]> = { [I in keyof T]: { route: T[I]; handler: unknown } };

/** The API's type for `hc<ApiType>(baseUrl)` (hono/client): paths, inputs and answers. */
export type ApiType = ReturnType<typeof api.openapiRoutes<Entries<typeof ROUTES>>>;
