import type { CoverageService } from "../coverage/coverage-service.ts";
import type { ProductCatalogue } from "../coverage/product-catalogue.ts";
import type { DeliveryIntake } from "../ingest/delivery-intake.ts";
import type { JobRunner } from "../jobs/job-runner.ts";
import type { PartnerRegistry } from "../partners/partner-registry.ts";
import type { CustomerSearch } from "../search/customer-search.ts";
import type { SearchEngine } from "../search/search-engine.ts";
import type { SerialisedSearch } from "../search/worker-engine.ts";
import type { Store } from "../store/store.ts";
import type { DeliveryMetrics } from "./delivery-metrics.ts";
import type { LastPurge, QueueDepths } from "./metrics.ts";

/** Everything the API calls; built by src/compose.ts (or by tests with the same real implementations). */
export interface Services {
  store: Store;
  engine: Pick<SearchEngine, "ping" | "name">;
  search: CustomerSearch;
  /** The same search answering with ready JSON bodies (search on a worker thread); routes prefer it. */
  serialisedSearch?: SerialisedSearch;
  intake: DeliveryIntake;
  coverage: CoverageService;
  jobs: JobRunner;
  products: ProductCatalogue;
  partners: PartnerRegistry;
  queueDepths?: QueueDepths;
  /** The last purge's erasure receipt, for /metrics. */
  lastPurge?: LastPurge;
  /** Delivery outcomes counted as they settle, shown on /metrics. */
  deliveryMetrics?: DeliveryMetrics;
}
