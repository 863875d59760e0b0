import { otlpApiSuite } from '../../test/support/otlp-api.suite';

otlpApiSuite('embedded log', {});
