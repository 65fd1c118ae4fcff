import { createStore } from '../ui/store.js';
import type { Membership, SessionInfo } from './api.types.js';
import { apiRequest, onSessionLost, setCredentials } from './api-client.js';
import type { ApiError } from './api-error.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; expired: boolean }
  | { status: 'signed-in'; info: SessionInfo; project: Membership };

const PROJECT_KEY = 'tenure.project';

export const session = createStore<SessionState>({ status: 'loading' });

function signedIn(info: SessionInfo): void {
  const remembered = localStorage.getItem(PROJECT_KEY);
  const project =
    info.memberships.find((membership) => membership.projectId === remembered) ??
    info.memberships[0];
  if (!project) {
    setCredentials(null);
    session.set({ status: 'signed-out', expired: false });
    return;
  }
  setCredentials({ projectId: project.projectId, csrfToken: info.csrfToken });
  session.set({ status: 'signed-in', info, project });
}

onSessionLost(() => {
  setCredentials(null);
  session.set({ status: 'signed-out', expired: true });
});

/** Asks the server who is signed in (the cookie is HttpOnly, so only it knows). */
export async function loadSession(): Promise<void> {
  try {
    signedIn(await apiRequest<SessionInfo>('GET', '/v1/auth/session'));
  } catch (error) {
    if ((error as ApiError).status === 401) session.set({ status: 'signed-out', expired: false });
    else throw error;
  }
}

/** Signs in; a refusal is thrown as the API's error (401 invalid_credentials, 429). */
export async function signIn(email: string, password: string): Promise<void> {
  signedIn(
    await apiRequest<SessionInfo>('POST', '/v1/auth/sign-in', {
      body: { email, password },
      retry: false,
    }),
  );
}

export async function signOut(): Promise<void> {
  try {
    await apiRequest('POST', '/v1/auth/sign-out', { retry: false });
  } finally {
    setCredentials(null);
    session.set({ status: 'signed-out', expired: false });
  }
}

/** Switches the workspace to another project the user belongs to. */
export function chooseProject(projectId: string): void {
  const state = session.get();
  if (state.status !== 'signed-in') return;
  localStorage.setItem(PROJECT_KEY, projectId);
  signedIn(state.info);
}
