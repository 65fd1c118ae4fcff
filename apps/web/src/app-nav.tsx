import type { Membership, SessionInfo } from './api/api.types.js';
import { chooseProject, signOut } from './api/session.js';
import { navigate } from './router/hash-router.js';

const LINKS = [
  { href: '/accounts', label: 'Accounts at risk' },
  { href: '/churn', label: 'Churn and retention' },
  { href: '/warnings', label: 'Early warnings' },
  { href: '/settings', label: 'Settings' },
  { href: '/model', label: 'Model' },
  { href: '/keys', label: 'API keys' },
];

/** The top bar: sections, the project (when the user has several), who is signed in. */
export function AppNav(props: { path: string; info: SessionInfo; project: Membership }) {
  const section = `/${props.path.split('/')[1] ?? ''}`;
  return (
    <header class="topbar">
      <a class="brand" href="#/accounts">
        Tenure
      </a>
      <nav aria-label="Sections">
        <ul>
          {LINKS.map((link) => (
            <li key={link.href}>
              <a
                href={`#${link.href}`}
                aria-current={
                  section === link.href || (section === '/' && link.href === '/accounts')
                    ? 'page'
                    : undefined
                }
              >
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="who">
        {props.info.memberships.length > 1 ? (
          <label>
            <span class="visually-hidden">Project</span>
            <select
              value={props.project.projectId}
              onChange={(event) => chooseProject(event.currentTarget.value)}
            >
              {props.info.memberships.map((membership) => (
                <option key={membership.projectId} value={membership.projectId}>
                  {membership.projectName}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span class="project">{props.project.projectName}</span>
        )}
        <span class="user">
          {props.info.user.email} <small>({props.project.role})</small>
        </span>
        <button
          type="button"
          class="link-button"
          onClick={() => void signOut().then(() => navigate('/sign-in', { replace: true }))}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
