// Unit tests run in Node, which has no IndexedDB: fake-indexeddb installs a spec-complete one in
// memory on globalThis before Dexie is imported. Each test opens its own uniquely named database,
// so no state leaks between tests and no reset is needed here.
import 'fake-indexeddb/auto';
