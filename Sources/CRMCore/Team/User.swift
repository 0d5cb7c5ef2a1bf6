import Foundation

/// Roles decide what a user may see and do (the Team issue fills in the rules).
public enum UserRole: String, Codable, Sendable, CaseIterable {
  case manager
  case supervisor
  case admin
}

/// A person who works in TermCRM.
public struct User: Codable, Equatable, Sendable {
  public var id: Int64
  public var login: String
  public var name: String
  public var role: UserRole
  public var active: Bool
  /// The team (empty: none); `team` visibility shows the clients of the same team.
  public var team: String = ""
}
