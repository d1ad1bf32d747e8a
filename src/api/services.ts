import type { CoverageService } from "../coverage/coverage-service.ts";
import type { ProductCatalogue } from "../coverage/product-catalogue.ts";
import type { DeliveryIntake } from "../ingest/delivery-intake.ts";
import type { JobRunner } from "../jobs/job-runner.ts";
import type { CustomerSearch } from "../search/customer-search.ts";
import type { SearchEngine } from "../search/search-engine.ts";
import type { Store } from "../store/store.ts";
import type { QueueDepths } from "./metrics.ts";

/** Everything the API calls; built by src/compose.ts (or by tests with the same real implementations). */
export interface Services {
  store: Store;
  engine: Pick<SearchEngine, "ping" | "name">;
  search: CustomerSearch;
  intake: DeliveryIntake;
  coverage: CoverageService;
  jobs: JobRunner;
  products: ProductCatalogue;
  queueDepths?: QueueDepths;
}
