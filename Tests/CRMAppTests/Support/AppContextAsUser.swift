import CRMApp
import CRMCore
import Foundation
import TestSupport

extension AppContext {
  /// The screens' context acting as `user`: signs them in first, as `crm` does on start (nil
  /// leaves the database's sign-in as it is).
  init(db: CRMDatabase, user: User?, language: Language, timeZone: TimeZone = .current) {
    db.actAs(user?.id)
    self.init(db: db, language: language, timeZone: timeZone)
  }
}
