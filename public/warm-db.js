// Runs while the page is still being parsed (async, no module): asks IndexedDB to open the app's
// database and closes it at once, so the browser has its files open by the time the entry module
// (src/main.tsx) opens it through Dexie: on a slow phone's cold start that open otherwise begins
// only once the entry's scripts have loaded and run (bench:slow-phone). Never creates the
// database (a first visit aborts the creation) and never holds a connection.
(function () {
  try {
    var req = globalThis.indexedDB.open('jangkau');
    req.onupgradeneeded = function () {
      req.transaction.abort();
    };
    req.onsuccess = function () {
      req.result.close();
    };
    req.onerror = function (event) {
      event.preventDefault();
    };
  } catch {
    // No IndexedDB here: the app says so itself.
  }
})();
