export * from './envelope';
export * from './events/generation';
export * from './registry';
export * from './validation';
export * from './ids';
