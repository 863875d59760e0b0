import { ingestApiSuite } from '../../test/support/ingest-api.suite';

ingestApiSuite('embedded log', {});
