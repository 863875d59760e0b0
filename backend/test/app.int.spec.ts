import { endToEnd } from './support/end-to-end.suite';

endToEnd('embedded log + chDB', {});
