import Foundation
import GRDB

extension CRMDatabase {
  /// The user with this login, created on first use (the very first user becomes admin).
  /// On a read-only database a missing user is not created and nil is returned.
  public func user(login: String) throws(CRMError) -> User? {
    let clean = TextFold.sanitizeLine(login)
    guard !clean.isEmpty else { throw .invalid(field: "--user", problem: "empty login") }
    if let existing = try read({ db in try Self.fetchUser(db, login: clean) }) {
      return existing
    }
    if isReadOnly { return nil }
    let at = clock.now()
    return try write { db in
      if let u = try Self.fetchUser(db, login: clean) { return u }
      let first = (try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") ?? 0) == 0
      let role = first ? "admin" : "manager"
      try db.execute(
        sql: "INSERT INTO app_user (login, name, role, created_at) VALUES (?, ?, ?, ?)",
        arguments: [clean, clean, role, at.timeIntervalSince1970])
      let id = db.lastInsertedRowID
      // A sign-up on first use is a change to the team: audited, as the new user.
      try Self.auditSetUp(
        db, by: id, entity: "user", entityId: id, action: "insert", old: [:],
        new: ["login": clean, "name": clean, "role": role], at: at)
      return try Self.fetchUser(db, login: clean)
    }
  }

  static func fetchUser(_ db: Database, login: String) throws -> User? {
    try Row.fetchOne(db, sql: "SELECT * FROM app_user WHERE login = ?", arguments: [login]).map(
      User.init(row:))
  }

  static func fetchUser(_ db: Database, id: Int64) throws -> User? {
    try Row.fetchOne(db, sql: "SELECT * FROM app_user WHERE id = ?", arguments: [id]).map(
      User.init(row:))
  }

  /// All users, by name.
  public func users() throws(CRMError) -> [User] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM app_user ORDER BY name, login").map(User.init(row:))
    }
  }
}

extension User {
  init(row: Row) {
    self.init(
      id: row["id"], login: row["login"], name: row["name"],
      role: UserRole(rawValue: row["role"]) ?? .manager, active: row["active"],
      team: row["team"] ?? "")
  }
}

extension CRMDatabase {
  /// Signs in the user with this login, the way every command and the TUI start: an unknown
  /// login is created on first use when `user_signup` is `auto` (the very first user becomes
  /// admin, later ones managers) and refused when it is `closed`; on a read-only file an unknown
  /// login signs in as nobody (see `signIn(_:)`). A deactivated user is refused.
  @discardableResult
  public func signIn(login: String, language l: Language = .en) throws(CRMError) -> Viewer {
    let clean = TextFold.sanitizeLine(login)
    guard !clean.isEmpty else { throw .invalid(field: "--user", problem: "empty login") }
    if let existing = try findUser(login: clean) { return try signIn(existing, language: l) }
    if isReadOnly { return try signIn(nil, language: l) }
    let s = try settings()
    if !s.openSignup {
      let hasUsers = try read { db in
        (try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") ?? 0) > 0
      }
      if hasUsers {
        throw .forbidden(
          l.pick(
            "no user «\(clean)»; an admin adds users with crm user add \(clean) --role manager",
            "нет пользователя «\(clean)»; пользователей добавляет администратор: crm user add \(clean) --role manager"
          ))
      }
    }
    return try signIn(try user(login: clean), language: l)
  }
}

extension CRMDatabase {
  /// Records a change to the team's set-up (a setting, a user who signed themselves up) in the
  /// audit log, as the signed-in user (`by`, when given, for a sign-up: the new user), with
  /// client 0 since it belongs to no client.
  static func auditSetUp(
    _ db: Database, by: Int64?, entity: String, entityId: Int64, action: String,
    old: [String: String], new: [String: String], at: Date
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO change_set (at, user_id, client_id, entity, entity_id, action)
        VALUES (?, ?, 0, ?, ?, ?)
        """, arguments: [at.timeIntervalSince1970, by, entity, entityId, action])
    let change = db.lastInsertedRowID
    for key in Set(old.keys).union(new.keys).sorted() where old[key] != new[key] {
      try db.execute(
        sql: """
          INSERT INTO audit (change_id, at, user_id, client_id, entity, entity_id, action, field, old, new)
          VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          change, at.timeIntervalSince1970, by, entity, entityId, action, key,
          (old[key] ?? "").isEmpty ? nil : old[key], (new[key] ?? "").isEmpty ? nil : new[key],
        ])
    }
  }
}
