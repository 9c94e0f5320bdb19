/**
 * How much of a database file SQLite may read through mmap: all it allows. better-sqlite3
 * builds SQLite with SQLITE_MAX_MMAP_SIZE=0x7fff0000 (just under 2 GB); SQLite maps no more
 * than the file's size, and past the limit it reads as usual.
 */
export const MMAP_BYTES = 0x7fff0000
