import GRDB
import GRDBSQLite

extension Database {
  /// Steps a statement of this connection run through the C API (the one-pass reports): true for
  /// a row, false at the end; any other result code is thrown as `sqliteError`.
  @inline(__always)
  func stepRow(_ stmt: OpaquePointer?) throws -> Bool {
    let rc = sqlite3_step(stmt)
    if rc == SQLITE_DONE { return false }
    guard rc == SQLITE_ROW else { throw sqliteError(rc) }
    return true
  }

  /// A failed C API call's result code with the connection's message, as GRDB reports it.
  func sqliteError(_ rc: Int32) -> DatabaseError {
    DatabaseError(
      resultCode: ResultCode(rawValue: rc),
      message: String(cString: sqlite3_errmsg(sqliteConnection)))
  }
}
