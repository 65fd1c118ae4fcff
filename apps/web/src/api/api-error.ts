/** An error answer of the API (`{ error: { code, message } }`) or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server refused a change because of the user's role (a viewer). */
  get isForbiddenForRole(): boolean {
    return this.status === 403 && this.code === 'forbidden_for_role';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** Reads the API's error body; anything else (a proxy's HTML page) keeps its status. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) {
      return new ApiError(response.status, body.error.code, body.error.message ?? body.error.code);
    }
  } catch {
    // Not JSON: fall through to a generic error with the status.
  }
  return new ApiError(response.status, `http_${response.status}`, `HTTP ${response.status}`);
}
