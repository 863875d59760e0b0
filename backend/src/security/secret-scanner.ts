import { rules } from '@secretlint/secretlint-rule-preset-recommend';
import type {
  SecretLintRuleContext,
  SecretLintRuleReportDescriptor,
  SecretLintRuleReportHandler,
  SecretLintSourceCode,
} from '@secretlint/types';

/**
 * Finds credentials in free text with secretlint's recommended rules (AWS, GCP, GitHub, GitLab,
 * Slack, OpenAI, Anthropic, Hugging Face, private keys, connection strings with passwords...),
 * maintained upstream. secretlint is a file linter with an async runner; its rules are plain
 * synchronous scanners behind a documented plug-in API, so they are run here directly, once per text.
 */

/** `filter-comments` honours `secretlint-disable` comments: a caller must not be able to opt out. */
const SKIPPED = new Set(['@secretlint/secretlint-rule-filter-comments']);
/** The AWS rule finds access key ids (`AKIA…`) only when asked. */
const OPTIONS: Record<string, object> = { '@secretlint/secretlint-rule-aws': { enableIDScanRule: true } };

// Every secret those rules find is a run of 16+ token characters, a URL with a password, or a PEM
// block; text without any of these (most prose, short values) skips the rules.
const CANDIDATE = /[\w+/=.-]{16}|:\/\/[^\s/@]*:[^\s/@]+@|-----BEGIN/;
// A reported value that is one token is masked wherever it occurs: some rules report a range that
// starts at the label (`aws_secret_access_key = …`) rather than at the secret.
const TOKEN = /^\S{8,}$/;

let found: [number, number][] | undefined;
let text = '';

function collect(descriptor: SecretLintRuleReportDescriptor): void {
  if (!found) return; // a late report from an async rule (binary formats only): not for this text
  found.push([descriptor.range[0], descriptor.range[1]]);
  for (const value of Object.values(descriptor.message.data ?? {})) {
    if (typeof value !== 'string' || !TOKEN.test(value)) continue;
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) {
      found.push([at, at + value.length]);
    }
  }
}

const context: SecretLintRuleContext = {
  sharedOptions: {},
  createTranslator: () => (messageId, data) => ({
    message: String(messageId),
    messageId: String(messageId),
    data,
  }),
  report: collect,
  ignore: () => undefined,
};

const handlers: SecretLintRuleReportHandler[] = rules
  .filter((rule) => !SKIPPED.has(rule.meta.id) && rule.meta.supportedContentTypes.some((t) => t !== 'binary'))
  .map((rule) => rule.create(context, OPTIONS[rule.meta.id] ?? {}));

function source(content: string): SecretLintSourceCode {
  const unsupported = (): never => {
    throw new Error('not available to secret rules run on text');
  };
  return {
    hasBOM: false,
    content,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: '',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
    locationToRange: unsupported,
    rangeToLocation: unsupported,
    positionToIndex: unsupported,
    indexToPosition: unsupported,
  };
}

/** Where secrets are in `content`: sorted, non-overlapping `[start, end)` UTF-16 ranges. */
export function findSecrets(content: string): [number, number][] {
  if (!CANDIDATE.test(content)) return [];
  found = [];
  text = content;
  try {
    const code = source(content);
    for (const handler of handlers) {
      const pending = handler.file?.(code);
      if (pending) pending.catch(() => undefined);
    }
    return merge(found);
  } finally {
    found = undefined;
    text = '';
  }
}

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
