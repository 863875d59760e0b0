/** No valid credentials: answered 401 with no hint of what exists. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  constructor(message = 'Authentication required') {
    super(message);
  }
}

/** The project does not exist or the caller may not see it: the same answer for both. */
export class ProjectNotFoundError extends Error {
  override readonly name = 'ProjectNotFoundError';
  constructor() {
    super('Project not found');
  }
}

/** The caller sees the project but its role does not allow this. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  constructor(message = 'Your role in this project does not allow this') {
    super(message);
  }
}

/** A cookie-authenticated write without the matching CSRF token. */
export class CsrfError extends Error {
  override readonly name = 'CsrfError';
  constructor() {
    super('Missing or wrong CSRF token');
  }
}

export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsError';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry in ${retryAfterSeconds} s`);
  }
}

/** Input the caller can fix (bad email, short password, expired link...). */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
