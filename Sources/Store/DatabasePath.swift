import Foundation

/// Checks on the `--db` path before SQLite sees it.
///
/// SQLite reads some names as something other than a file: `''` is a private temporary database,
/// `:memory:` lives in memory, and (this build has SQLITE_USE_URI) `file:...` is a URI that can
/// mean memory (`file::memory:`, `?mode=memory`) or change how the file is opened. Results written
/// to any of them are gone when the command exits, so each is refused with one line.
public enum DatabasePath {
    public static func check(_ path: String) throws {
        if path.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.badInput("database path is empty: give a file name, e.g. --db results.db")
        }
        if path == ":memory:" {
            throw StoreError.badInput("database path '\(path)' is an in-memory database, which nothing is saved to: give a file name")
        }
        if path.lowercased().hasPrefix("file:") {
            throw StoreError.badInput("database path '\(path)' is a SQLite URI: give a plain file name")
        }
        if path.utf8.contains(0) { throw StoreError.badInput("database path contains a NUL byte") }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw StoreError.badInput("database path '\(path)' is a directory")
        }
        // A device, FIFO or socket (`/dev/null` saves nothing; a FIFO blocks the open forever).
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            throw StoreError.badInput("database path '\(path)' is not a regular file")
        }
    }

    /// A writer needs to write the file, or create it (and its -wal and -shm files) beside it.
    /// access(2) answers for the real user; root passes it, and `Connection` then asks SQLite.
    static func checkWritable(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: path) {
            if access(path, W_OK) != 0 { throw StoreError.databaseReadOnly(path: path) }
            if access(dir, W_OK) != 0 && !sidecarsExist(path) { throw StoreError.databaseReadOnly(path: path) }
        } else if FileManager.default.fileExists(atPath: dir), access(dir, W_OK) != 0 {
            throw StoreError.cannotOpen(path: path, reason: "directory \(dir) is read-only")
        }
    }

    /// WAL mode needs `path-wal` and `path-shm`; when both exist and are writable the directory
    /// itself need not be.
    static func sidecarsExist(_ path: String) -> Bool {
        ["-wal", "-shm"].allSatisfy { access(path + $0, W_OK) == 0 }
    }

    /// True when both paths name one file: the same resolved path, or the same device and inode
    /// (a hard link, a symlink, `./a.db` and `a.db`). A path that does not exist matches only itself.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        let ra = URL(fileURLWithPath: a).resolvingSymlinksInPath().standardizedFileURL.path
        let rb = URL(fileURLWithPath: b).resolvingSymlinksInPath().standardizedFileURL.path
        if ra == rb { return true }
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}
