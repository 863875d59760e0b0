/** An error answered in OpenAI's error shape, so OpenAI SDKs surface it as they would OpenAI's own. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly status: number,
    message: string,
    readonly type:
      | 'invalid_request_error'
      | 'api_error'
      | 'rate_limit_error'
      | 'authentication_error'
      | 'permission_error',
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}
