import {
  closeSync,
  existsSync,
  openSync,
  readSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';

/**
 * DynamoDB Local keeps its tables in one SQLite database and never sets a journal mode, so SQLite
 * uses its default rollback journal: every committed write creates, syncs and deletes a journal
 * file beside the database and syncs the database too. On the machines Steward's local runtime
 * runs on that is most of DynamoDB Local's time per write. With a write-ahead log a commit is one
 * append to the log (still synced, so nothing acknowledged is lost to a crash); readers and the
 * writer no longer block each other.
 *
 * The journal mode of a database is stored in its file header (bytes 18 and 19: 1 for the
 * rollback journal, 2 for write-ahead logging) and SQLite honours it whenever it opens the file,
 * whatever opened it: that is all `PRAGMA journal_mode=WAL` persists. DynamoDB Local offers no way
 * to run a pragma, so this sets the header while no process has the database open: an existing
 * database is switched; a missing one is created empty in WAL mode, for DynamoDB Local to fill.
 * See https://www.sqlite.org/fileformat2.html#the_database_header.
 */

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
/** Bytes 18 and 19: file format write and read versions. */
const VERSIONS_OFFSET = 18;
const ROLLBACK_JOURNAL = 1;
const WRITE_AHEAD_LOG = 2;
const PAGE_SIZE = 4096;

export type WalOutcome =
  /** A new empty database in WAL mode was written. */
  | 'created'
  /** An existing database was switched from the rollback journal to WAL. */
  | 'switched'
  /** It already uses WAL. */
  | 'already'
  /**
   * Left as it is: a rollback journal beside it may be a crash's hot journal, which only SQLite
   * may roll back (it does when the database is next opened); the next start switches it.
   */
  | 'hot-journal'
  /** Not a SQLite database (or one this does not recognise): not touched. */
  | 'unknown';

/** Makes the SQLite database at `file` use a write-ahead log. No process may have it open. */
export function useWriteAheadLog(file: string): WalOutcome {
  if (!existsSync(file) || statSync(file).size === 0) {
    writeFileSync(file, emptyWalDatabase());
    return 'created';
  }
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, 'r+');
  try {
    if (readSync(fd, header, 0, HEADER_BYTES, 0) < HEADER_BYTES) return 'unknown';
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) return 'unknown';
    const write = header[VERSIONS_OFFSET];
    const read = header[VERSIONS_OFFSET + 1];
    if (write === WRITE_AHEAD_LOG && read === WRITE_AHEAD_LOG) return 'already';
    if (write !== ROLLBACK_JOURNAL || read !== ROLLBACK_JOURNAL) return 'unknown';
    if (existsSync(`${file}-journal`)) return 'hot-journal';
    writeSync(fd, Buffer.from([WRITE_AHEAD_LOG, WRITE_AHEAD_LOG]), 0, 2, VERSIONS_OFFSET);
    return 'switched';
  } finally {
    closeSync(fd);
  }
}

/**
 * A database with no tables, as SQLite itself writes one: the 100-byte header and page 1 holding
 * the empty schema table (a leaf table b-tree page with no cells).
 */
export function emptyWalDatabase(): Buffer {
  const page = Buffer.alloc(PAGE_SIZE);
  MAGIC.copy(page, 0);
  page.writeUInt16BE(PAGE_SIZE, 16);
  page[VERSIONS_OFFSET] = WRITE_AHEAD_LOG;
  page[VERSIONS_OFFSET + 1] = WRITE_AHEAD_LOG;
  page[20] = 0; // bytes reserved at the end of each page
  page[21] = 64; // maximum embedded payload fraction (must be 64)
  page[22] = 32; // minimum embedded payload fraction (must be 32)
  page[23] = 32; // leaf payload fraction (must be 32)
  page.writeUInt32BE(1, 24); // file change counter
  page.writeUInt32BE(1, 28); // size of the database in pages
  page.writeUInt32BE(0, 32); // first freelist trunk page
  page.writeUInt32BE(0, 36); // freelist pages
  page.writeUInt32BE(0, 40); // schema cookie
  page.writeUInt32BE(4, 44); // schema format number
  page.writeUInt32BE(1, 56); // text encoding: UTF-8
  page.writeUInt32BE(1, 92); // version-valid-for: equals the change counter
  page.writeUInt32BE(3_007_000, 96); // SQLITE_VERSION_NUMBER of the writer (WAL exists since 3.7.0)
  // Page 1's b-tree header, right after the database header.
  page[HEADER_BYTES] = 0x0d; // a leaf table b-tree page
  page.writeUInt16BE(0, HEADER_BYTES + 1); // first freeblock: none
  page.writeUInt16BE(0, HEADER_BYTES + 3); // cells: none
  page.writeUInt16BE(PAGE_SIZE, HEADER_BYTES + 5); // cell content starts at the end of the page
  page[HEADER_BYTES + 7] = 0; // fragmented free bytes
  return page;
}
