import CRMCore
import Foundation

// Tests make services the way they always did, naming the user who acts. A service takes its
// acting user from the database's sign-in (see `ServiceContext`), so these sign that user in
// first, as the CLI and the interface do when they start. A later service made for another user
// signs that one in instead: a test that switches users acts as the latest.

extension CRMDatabase {
  /// Signs in the user with this id (nil: leaves the sign-in as it is).
  public func actAs(_ userId: Int64?) {
    guard let userId, viewer.user?.id != userId || !isSignedIn else { return }
    do {
      guard let user = try users().first(where: { $0.id == userId }) else {
        preconditionFailure("no user with id \(userId)")
      }
      try signIn(user)
    } catch {
      preconditionFailure("cannot sign in user \(userId): \(error)")
    }
  }
}

extension CoreService {
  public init(
    db: CRMDatabase, userId: Int64?, language: Language, timeZone: TimeZone = .current
  ) {
    db.actAs(userId)
    self.init(ServiceContext(db: db, language: language, timeZone: timeZone))
  }

  public init(db: CRMDatabase, language: Language = .en, timeZone: TimeZone = .current) {
    self.init(ServiceContext(db: db, language: language, timeZone: timeZone))
  }
}
