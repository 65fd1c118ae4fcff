import type { ApiError } from '../api/api-error.js';

/** How a refused or failed call reads to a person: the role message for viewers, else the API's. */
export function messageOf(error: ApiError): string {
  if (error.isForbiddenForRole) {
    return 'Your role on this project is viewer: you can look at everything, but changes need an admin.';
  }
  return error.message;
}

export function ErrorPanel({ error }: { error: ApiError }) {
  return (
    <div class="notice notice-error" role="alert">
      {messageOf(error)}
    </div>
  );
}
