// Runs queued jobs one per task (a `setTimeout(0)` each), in the order queued. Why: a dashboard
// creates several uPlot charts, each a few ms of script, layout and canvas drawing; done together
// they are one long task that blocks input (Lighthouse's Total Blocking Time). One per task, the
// browser can handle input and paint between them.

type Job = () => void;

const jobs: Job[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

function runOne(): void {
  timer = null;
  const job = jobs.shift();
  if (jobs.length > 0) timer = setTimeout(runOne, 0);
  job?.();
}

/** Queues `job` after the ones already queued; the returned function unqueues it if it has not run. */
export function queueTask(job: Job): () => void {
  jobs.push(job);
  timer ??= setTimeout(runOne, 0);
  return () => {
    const at = jobs.indexOf(job);
    if (at >= 0) jobs.splice(at, 1);
  };
}
