import Foundation
import GRDB

/// A user as `crm user list` shows them: with the number of live clients they own.
public struct UserSummary: Equatable, Sendable {
  public var user: User
  public var clients: Int
}

/// What a user still holds; a deactivation with any of it needs somewhere to move it.
public struct UserHoldings: Equatable, Sendable {
  /// Live clients they own.
  public var clients: Int
  /// Open deals they own.
  public var deals: Int
  /// Planned contacts they hold.
  public var contacts: Int

  public var isEmpty: Bool { clients == 0 && deals == 0 && contacts == 0 }
}

/// What a deactivation moved to `--move-to` before switching the user off.
public struct DeactivationResult: Equatable, Sendable {
  public var moved: UserHoldings
  public var movedTo: String?
}

/// Users and roles: adding, changing and switching users off. Every change is admin-only,
/// audited (entity `user`, client 0) and keeps at least one active admin.
public struct UserAdmin: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  // MARK: Reading

  /// Every user (active or not), by login, with the clients they own (admins).
  public func list() throws(CRMError) -> [UserSummary] {
    try db.require([.admin], to: "crm user list", language: l)
    return try db.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT u.*, (SELECT count(*) FROM client c
                       WHERE c.owner_id = u.id AND c.deleted_at IS NULL) AS owned
          FROM app_user u ORDER BY u.login
          """
      ).map { UserSummary(user: User(row: $0), clients: $0["owned"]) }
    }
  }

  /// The user with this login, or `notFound`-like invalid input naming the login.
  public func user(_ login: String) throws(CRMError) -> User {
    guard let u = try db.findUser(login: TextFold.sanitizeLine(login)) else {
      throw unknown(login)
    }
    return u
  }

  /// What the user still holds: clients, open deals, planned contacts.
  public func holdings(_ login: String) throws(CRMError) -> UserHoldings {
    let u = try user(login)
    return try db.read { db in try Self.holdings(db, u.id) }
  }

  static func holdings(_ db: Database, _ id: Int64) throws -> UserHoldings {
    UserHoldings(
      clients: try Int.fetchOne(
        db, sql: "SELECT count(*) FROM client WHERE owner_id = ? AND deleted_at IS NULL",
        arguments: [id]) ?? 0,
      deals: try Int.fetchOne(
        db, sql: "SELECT count(*) FROM deal WHERE owner_id = ? AND closed_at IS NULL",
        arguments: [id]) ?? 0,
      contacts: try Int.fetchOne(
        db, sql: "SELECT count(*) FROM contact WHERE user_id = ? AND status = 'planned'",
        arguments: [id]) ?? 0)
  }

  // MARK: Changing

  /// Adds a user; the login must be new. Returns the stored user.
  @discardableResult
  public func add(login: String, role: UserRole, name: String = "", team: String = "")
    throws(CRMError) -> User
  {
    try db.require([.admin], to: "crm user add", language: l)
    let clean = try Self.checkLogin(login, language: l)
    let cleanName = TextFold.sanitizeLine(name)
    let cleanTeam = TextFold.sanitizeLine(team)
    let at = now
    return try db.write { db in
      if try CRMDatabase.fetchUser(db, login: clean) != nil {
        throw CRMError.invalid(
          field: "LOGIN",
          problem: l.pick("user «\(clean)» already exists", "пользователь «\(clean)» уже есть"))
      }
      try db.execute(
        sql: "INSERT INTO app_user (login, name, role, team, created_at) VALUES (?, ?, ?, ?, ?)",
        arguments: [
          clean, cleanName.isEmpty ? clean : cleanName, role.rawValue, cleanTeam,
          at.timeIntervalSince1970,
        ])
      let u = try CRMDatabase.fetchUser(db, id: db.lastInsertedRowID)!
      try log(
        db, u.id, "insert", old: [:],
        new: ["login": u.login, "name": u.name, "role": u.role.rawValue, "team": u.team], at: at)
      return u
    }
  }

  /// Gives a user another role; the last active admin keeps theirs.
  public func setRole(_ login: String, _ role: UserRole) throws(CRMError) {
    try db.require([.admin], to: "crm user set-role", language: l)
    let at = now
    try db.write { db in
      let u = try fetch(db, login)
      if u.role == role { return }
      if u.role == .admin && u.active { try keepAnAdmin(db, besides: u) }
      try db.execute(
        sql: "UPDATE app_user SET role = ? WHERE id = ?", arguments: [role.rawValue, u.id])
      try log(
        db, u.id, "role", old: ["role": u.role.rawValue], new: ["role": role.rawValue], at: at)
    }
  }

  /// Puts a user in a team; an empty team takes them out of theirs.
  public func setTeam(_ login: String, _ team: String) throws(CRMError) {
    try db.require([.admin], to: "crm user set-team", language: l)
    let clean = TextFold.sanitizeLine(team)
    let at = now
    try db.write { db in
      let u = try fetch(db, login)
      if u.team == clean { return }
      try db.execute(sql: "UPDATE app_user SET team = ? WHERE id = ?", arguments: [clean, u.id])
      try log(db, u.id, "update", old: ["team": u.team], new: ["team": clean], at: at)
    }
  }

  /// Renames a user (the login stays).
  public func setName(_ login: String, _ name: String) throws(CRMError) {
    try db.require([.admin], to: "crm user set-name", language: l)
    let clean = TextFold.sanitizeLine(name)
    guard !clean.isEmpty else {
      throw .invalid(field: "NAME", problem: l.pick("must not be empty", "не может быть пустым"))
    }
    let at = now
    try db.write { db in
      let u = try fetch(db, login)
      if u.name == clean { return }
      try db.execute(sql: "UPDATE app_user SET name = ? WHERE id = ?", arguments: [clean, u.id])
      try log(db, u.id, "update", old: ["name": u.name], new: ["name": clean], at: at)
    }
  }

  /// Switches a user off. Their clients, open deals and planned contacts must go somewhere:
  /// without `moveTo` a user who holds any is refused (the message says how many); with it,
  /// everything goes to that active user through the handover, in the same transaction. Their
  /// history stays. The last active admin cannot be switched off.
  @discardableResult
  public func deactivate(_ login: String, moveTo: String? = nil) throws(CRMError)
    -> DeactivationResult
  {
    try db.require([.admin], to: "crm user deactivate", language: l)
    let at = now
    return try db.write { db in
      let u = try fetch(db, login)
      if !u.active {
        throw CRMError.invalid(
          field: "LOGIN",
          problem: l.pick(
            "user «\(u.login)» is already deactivated", "пользователь «\(u.login)» уже отключён"))
      }
      if u.role == .admin { try keepAnAdmin(db, besides: u) }
      let held = try Self.holdings(db, u.id)
      var result = DeactivationResult(
        moved: UserHoldings(clients: 0, deals: 0, contacts: 0), movedTo: nil)
      if let moveTo {
        let target = try fetch(db, moveTo)
        if target.id == u.id {
          throw CRMError.invalid(
            field: "--move-to",
            problem: l.pick(
              "is the user being deactivated", "это и есть отключаемый пользователь"))
        }
        if !target.active {
          throw CRMError.invalid(
            field: "--move-to",
            problem: l.pick(
              "user «\(target.login)» is deactivated", "пользователь «\(target.login)» отключён"))
        }
        result.moved = try move(db, from: u, to: target, at: at)
        result.movedTo = target.login
      } else if !held.isEmpty {
        throw CRMError.invalid(
          field: "--move-to", problem: holdingText(u.login, held))
      }
      try db.execute(
        sql: "UPDATE app_user SET active = 0, deactivated_at = ? WHERE id = ?",
        arguments: [at.timeIntervalSince1970, u.id])
      try log(
        db, u.id, "deactivate", old: ["active": "1"],
        new: ["active": "0", "moved_to": result.movedTo ?? ""], at: at)
      return result
    }
  }

  /// Switches a user back on.
  public func activate(_ login: String) throws(CRMError) {
    try db.require([.admin], to: "crm user activate", language: l)
    let at = now
    try db.write { db in
      let u = try fetch(db, login)
      if u.active { return }
      try db.execute(
        sql: "UPDATE app_user SET active = 1, deactivated_at = NULL WHERE id = ?",
        arguments: [u.id])
      try log(db, u.id, "activate", old: ["active": "0"], new: ["active": "1"], at: at)
    }
  }

  /// The refusal text for a user who still holds clients, deals or contacts.
  public func holdingText(_ login: String, _ h: UserHoldings) -> String {
    l.pick(
      "«\(login)» still has \(h.clients) clients, \(h.deals) open deals and \(h.contacts) planned contacts; pass --move-to LOGIN to give them to another user. Nothing was changed.",
      "у «\(login)» ещё клиентов: \(h.clients), открытых сделок: \(h.deals), запланированных контактов: \(h.contacts); укажите --move-to ЛОГИН, кому их передать. Ничего не изменено."
    )
  }

  // MARK: Inside

  /// Clients with their planned contacts and open deals through the handover; then whatever
  /// the user still holds on other people's clients (planned contacts, open deals).
  func move(_ db: Database, from: User, to: User, at: Date) throws -> UserHoldings {
    let contacts = context.contacts
    let done = try contacts.handover(db, from: from.id, to: to.id, clientIds: nil, withDeals: true)
    var moved = UserHoldings(clients: done.clients, deals: done.deals, contacts: done.contacts)
    let planned = try Row.fetchAll(
      db, sql: "SELECT * FROM contact WHERE user_id = ? AND status = 'planned' ORDER BY id",
      arguments: [from.id]
    ).map(ContactService.contact)
    for p in planned {
      var m = p
      m.userId = to.id
      try ContactService.save(db, m, at: at)
      try contacts.audit(db, "handover", before: p, after: m, at: at)
      moved.contacts += 1
    }
    let deals = context.deals
    let open = try Row.fetchAll(
      db, sql: "SELECT * FROM deal WHERE owner_id = ? AND closed_at IS NULL ORDER BY id",
      arguments: [from.id]
    ).map(DealService.deal)
    for d in open {
      try db.execute(
        sql: "UPDATE deal SET owner_id = ?, updated_at = ? WHERE id = ?",
        arguments: [to.id, at.timeIntervalSince1970, d.id])
      var m = d
      m.ownerId = to.id
      try deals.audit(db, "handover", before: d, after: m, at: at)
      moved.deals += 1
    }
    return moved
  }

  func fetch(_ db: Database, _ login: String) throws -> User {
    guard let u = try CRMDatabase.fetchUser(db, login: TextFold.sanitizeLine(login)) else {
      throw unknown(login)
    }
    return u
  }

  func unknown(_ login: String) -> CRMError {
    .invalid(
      field: "LOGIN",
      problem: l.pick(
        "no user «\(login)»; crm user list shows them",
        "нет пользователя «\(login)»; список: crm user list"))
  }

  /// Refuses when `u` is the only active admin.
  func keepAnAdmin(_ db: Database, besides u: User) throws {
    let others =
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM app_user WHERE role = 'admin' AND active = 1 AND id <> ?",
        arguments: [u.id]) ?? 0
    if others == 0 {
      throw CRMError.invalid(
        field: "LOGIN",
        problem: l.pick(
          "«\(u.login)» is the last active admin; make someone else admin first. Nothing was changed.",
          "«\(u.login)» — последний действующий администратор; сначала назначьте другого. Ничего не изменено."
        ))
    }
  }

  func log(
    _ db: Database, _ id: Int64, _ action: String, old: [String: String], new: [String: String],
    at: Date
  ) throws {
    let clients = context.clients
    let change = try clients.recordChange(
      db, clientId: 0, entity: "user", entityId: id, action: action, before: old, at: at)
    try clients.auditFields(
      db, change: change, clientId: 0, entity: "user", entityId: id, action: action, old: old,
      new: new, at: at)
  }

  /// A login: one word of letters, digits, `.`, `-`, `_`, `@`, up to 64 characters.
  static func checkLogin(_ login: String, language l: Language) throws(CRMError) -> String {
    let clean = TextFold.sanitizeLine(login)
    guard !clean.isEmpty else {
      throw .invalid(field: "LOGIN", problem: l.pick("must not be empty", "не может быть пустым"))
    }
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_@"))
    guard clean.count <= 64, clean.unicodeScalars.allSatisfy(allowed.contains) else {
      throw .invalid(
        field: "LOGIN",
        problem: l.pick(
          "«\(clean)»: one word of letters, digits, . - _ @ (up to 64)",
          "«\(clean)»: одно слово из букв, цифр, . - _ @ (до 64 знаков)"))
    }
    return clean
  }
}
