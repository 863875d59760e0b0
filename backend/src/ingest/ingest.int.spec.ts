import { ingestApiSuite } from './ingest-api.suite';

ingestApiSuite('embedded log', {});
