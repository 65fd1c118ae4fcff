import type { AccountProfile } from '../../api/api.types.js';
import { daysAgo, formatDay } from '../../ui/format.js';

/** The users seen most recently, and how many of the seats were active in 28 days. */
export function AccountUsers({ profile }: { profile: AccountProfile }) {
  const { users } = profile;
  return (
    <>
      <p>
        {users.active28} of {users.total} users active in the last 28 days
        {profile.seats ? ` (${profile.seats} seats paid)` : ''}.
      </p>
      <ul class="users">
        {users.recent.map((user) => (
          <li key={user.userId}>
            <span class="user-id">{user.userId}</span>
            <span title={formatDay(user.lastSeenDay)}>
              last seen {daysAgo(user.lastSeenDay, profile.asOf)}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
