import CRMApp
import CRMCore
import Foundation
import TestSupport

extension AppContext {
  /// The screens' context acting as `user` (nil: nobody), as tests have always made it; the
  /// database's sign-in still decides what is visible.
  init(db: CRMDatabase, user: User?, language: Language, timeZone: TimeZone = .current) {
    self.init(ServiceContext(db: db, language: language, timeZone: timeZone, actingAs: user))
  }
}
