import CRMCore
import Foundation

// Tests make services the way they always did, naming the user who acts (nil: nobody) on one
// database, often several users in turn. A product service takes its acting user from the
// database's sign-in; these stand that user in instead, while the sign-in (if any) still decides
// what is visible and which roles pass.

extension CRMDatabase {
  /// The user with this id, for standing in; nil for nil.
  package func standIn(_ userId: Int64?) -> User? {
    guard let userId else { return nil }
    guard let user = try? users().first(where: { $0.id == userId }) else {
      preconditionFailure("no user with id \(userId)")
    }
    return user
  }
}

extension CoreService {
  /// The service acting as the user with this id (nil: nobody).
  package init(
    db: CRMDatabase, userId: Int64?, language: Language, timeZone: TimeZone = .current
  ) {
    self.init(
      ServiceContext(
        db: db, language: language, timeZone: timeZone, actingAs: db.standIn(userId)))
  }

  /// A service that acts as nobody in particular: the database's signed-in user, if any.
  package init(db: CRMDatabase, language: Language = .en, timeZone: TimeZone = .current) {
    self.init(ServiceContext(db: db, language: language, timeZone: timeZone))
  }
}
