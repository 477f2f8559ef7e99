import { expect } from 'chai';
import { getSessionStore, setSessionStore, type SessionStore } from '../../../core/src/io/SessionStore';
import { SessionError } from '../../../core/src/errors/SessionError';

describe('SessionStore', () => {
  let previous: SessionStore | null = null;
  before(() => {
    try {
      previous = getSessionStore();
    } catch {
      previous = null;
    }
  });
  after(() => setSessionStore(previous));

  it('getSessionStore returns the store setSessionStore installed', () => {
    const store: SessionStore = { write: async () => {}, read: async () => new Map() };
    setSessionStore(store);
    expect(getSessionStore()).to.equal(store);
  });

  it('without a store (a browser without one installed) the error says how to get one', () => {
    setSessionStore(null);
    expect(() => getSessionStore()).to.throw(
      SessionError,
      'no SessionStore is installed: import @collabopt/core from Node (which installs a file-system store), or call setSessionStore() with a store for this environment',
    );
  });
});
