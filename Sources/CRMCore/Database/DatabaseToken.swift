import Foundation
import GRDB

extension CRMDatabase {
  /// The `setting` key holding this database's token.
  public static let tokenKey = "db_token"

  /// A random token made once per database and kept in the `setting` table: exports use it in
  /// identifiers that must stay the same across runs (iCalendar UIDs) yet differ between
  /// databases. A read-only database without one gets a token derived from its path instead.
  public func databaseToken() throws(CRMError) -> String {
    let key = Self.tokenKey
    if let t = try read({ db in
      try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
    }) {
      return t
    }
    if isReadOnly {
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for b in path.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
      return String(hash, radix: 16)
    }
    var generator = SystemRandomNumberGenerator()
    let fresh = (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16)
    }
    .map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    return try write { db in
      try db.execute(
        sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
        arguments: [key, fresh])
      return try String.fetchOne(
        db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) ?? fresh
    }
  }
}
