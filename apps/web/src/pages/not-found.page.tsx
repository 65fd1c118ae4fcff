/** A clear dead end: what was not found, and the way back. */
export function NotFoundPage({ what, id }: { what: 'page' | 'account'; id?: string }) {
  return (
    <section class="not-found">
      <h1>{what === 'account' ? 'Account not found' : 'Page not found'}</h1>
      <p>
        {what === 'account'
          ? `There is no account “${id}” in this project.`
          : 'There is nothing at this address.'}
      </p>
      <p>
        <a href="#/accounts">Back to the accounts at risk</a>
      </p>
    </section>
  );
}
