import { liveProgress } from './support/live-progress.suite';

liveProgress('the embedded log', {});
