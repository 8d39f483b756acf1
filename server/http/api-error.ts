// Client faults as values the error handler understands: an HTTP status, a stable code the device
// translates, and a short English message for people reading logs or curl output.
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const tooLarge = () => new ApiError(413, 'too_large', 'Request body is too large');
