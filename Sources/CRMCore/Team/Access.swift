import Foundation
import GRDB
import Synchronization

/// Who sees which clients (`visibility` for managers, `supervisor_visibility` for supervisors;
/// admins see all).
public enum Visibility: String, CaseIterable, Sendable {
  /// A manager's own clients.
  case own
  /// The clients of everyone in the user's team (a user without a team: their own).
  case team
  /// Every client.
  case all
}

/// The clients the signed-in user may see. Every CRMCore query that reads clients, or rows that
/// belong to a client (contacts, deals, money, reports, exports), filters through it; the screens
/// and commands never filter on their own.
public enum ClientAccess: Equatable, Sendable {
  case all
  /// Clients owned by these users; with `unowned`, also clients without an owner (supervisors
  /// see the leads not yet given to anyone).
  case owners([Int64], unowned: Bool)

  /// Whether everything is visible (no filter needed).
  public var isAll: Bool { self == .all }

  /// An SQL condition on an owner column, e.g. `c.owner_id`: `1` when all is visible. The ids are
  /// integers written into the text, so it composes with any statement without arguments.
  public func condition(ownerColumn column: String) -> String {
    switch self {
    case .all:
      return "1"
    case .owners(let ids, let unowned):
      var parts: [String] = []
      if ids.count == 1 {
        parts.append("\(column) = \(ids[0])")
      } else if !ids.isEmpty {
        parts.append("\(column) IN (\(ids.map(String.init).joined(separator: ",")))")
      }
      if unowned { parts.append("\(column) IS NULL") }
      if parts.isEmpty { return "0" }
      return parts.count == 1 ? parts[0] : "(\(parts.joined(separator: " OR ")))"
    }
  }

  /// The condition on a client table alias: `c` → `c.owner_id …`.
  public func condition(client alias: String) -> String {
    condition(ownerColumn: "\(alias).owner_id")
  }

  /// The condition for rows that carry a `client_id` (contacts, deals, invoices…): their client
  /// is visible.
  public func condition(clientIdColumn column: String) -> String {
    if isAll { return "1" }
    return
      "\(column) IN (SELECT id FROM client WHERE \(condition(ownerColumn: "owner_id")))"
  }

  /// Whether a client with this owner is visible.
  public func allows(ownerId: Int64?) -> Bool {
    switch self {
    case .all: return true
    case .owners(let ids, let unowned):
      guard let ownerId else { return unowned }
      return ids.contains(ownerId)
    }
  }
}

/// The person a database is opened for, and what they may see. One process works for one
/// user: the CLI and the TUI sign in right after opening.
public struct Viewer: Equatable, Sendable {
  /// Nil before sign-in (internal tools, benchmarks) or for an unknown user of a read-only file.
  public var user: User?
  public var access: ClientAccess

  public init(user: User?, access: ClientAccess) {
    self.user = user
    self.access = access
  }

  public var role: UserRole? { user?.role }
}

/// Holds the signed-in viewer of one `CRMDatabase`.
final class ViewerBox: Sendable {
  struct Session {
    var viewer = Viewer(user: nil, access: .all)
    var signedIn = false
  }
  let state = Mutex(Session())
}

extension CRMDatabase {
  /// The signed-in user and their access; before any sign-in, no user and everything visible.
  public var viewer: Viewer { viewerBox.state.withLock { $0.viewer } }

  /// What the signed-in user may see.
  public var access: ClientAccess { viewer.access }

  /// Signs `user` in: from now on every query of this database shows what they may see.
  /// A deactivated user is refused. `nil` (an unknown user of a read-only file) sees clients
  /// only when managers see all.
  @discardableResult
  public func signIn(_ user: User?, language l: Language = .en) throws(CRMError) -> Viewer {
    if let user, !user.active {
      throw .forbidden(
        l.pick(
          "user «\(user.login)» is deactivated; an admin can return them with crm user activate",
          "пользователь «\(user.login)» отключён; вернуть может администратор: crm user activate"))
    }
    let access = try read { db in try Self.access(db, for: user) }
    let v = Viewer(user: user, access: access)
    viewerBox.state.withLock { $0 = ViewerBox.Session(viewer: v, signedIn: true) }
    return v
  }

  /// What `user` may see under the database's visibility settings.
  public func access(for user: User?) throws(CRMError) -> ClientAccess {
    try read { db in try Self.access(db, for: user) }
  }

  static func access(_ db: Database, for user: User?) throws -> ClientAccess {
    let s = try loadSettings(db)
    guard let user else { return s.visibility == .all ? .all : .owners([], unowned: false) }
    let scope: Visibility
    let unowned: Bool
    switch user.role {
    case .admin: return .all
    case .supervisor:
      scope = s.supervisorVisibility == .all ? .all : .team
      unowned = true
    case .manager:
      scope = s.visibility
      unowned = false
    }
    switch scope {
    case .all: return .all
    case .own: return .owners([user.id], unowned: unowned)
    case .team:
      guard !user.team.isEmpty else { return .owners([user.id], unowned: unowned) }
      let ids = try Int64.fetchAll(
        db, sql: "SELECT id FROM app_user WHERE team = ? ORDER BY id", arguments: [user.team])
      return .owners(ids.contains(user.id) ? ids : ids + [user.id], unowned: unowned)
    }
  }

  /// Throws `forbidden` unless the signed-in user has one of `roles`. Before sign-in (internal
  /// tools) everything is allowed.
  public func require(_ roles: Set<UserRole>, to what: String, language l: Language)
    throws(CRMError)
  {
    let v = viewer
    guard let user = v.user else {
      if isSignedIn { throw .forbidden(l.pick("\(what): sign in first", "\(what): нужен вход")) }
      return
    }
    if roles.contains(user.role) { return }
    let names = roles.map(\.rawValue).sorted().joined(separator: "/")
    throw .forbidden(
      l.pick(
        "\(what) needs the role \(names); «\(user.login)» is \(user.role.rawValue). Nothing was changed.",
        "\(what): нужна роль \(names); у «\(user.login)» роль \(user.role.rawValue). Ничего не изменено."
      ))
  }

  /// Whether anyone (even an unknown user) has signed in.
  public var isSignedIn: Bool { viewerBox.state.withLock { $0.signedIn } }
}

/// How a client created without an owner is given to a manager (`lead_rule`).
public enum LeadRule: String, CaseIterable, Sendable {
  /// Leads stay unassigned until someone takes them.
  case off
  /// The next manager of the pool after the one who got the last lead.
  case roundRobin = "round_robin"
  /// The manager with the fewest open (planned) contacts; ties by fewest leads, then login.
  case leastBusy = "least_busy"
  /// By the client's segment (`lead_segment_map`), else `lead_fallback`.
  case segment
  /// By the client's city (`lead_region_map`), else `lead_fallback`.
  case region
}

extension ClientAccess {
  /// Whether the client with this id is hidden from the viewer (a client that does not exist is
  /// hidden too unless everything is visible; callers check existence themselves).
  func hides(_ db: Database, clientId: Int64) throws -> Bool {
    if isAll { return false }
    guard
      let row = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT owner_id FROM client WHERE id = ?"),
        arguments: [clientId])
    else { return true }
    return !allows(ownerId: row["owner_id"])
  }
}
