import ArgumentParser
import CRMApp
import CRMCore
import Foundation

/// A subcommand that works on the database: it takes the global options, and its body gets a
/// `Session` already opened and signed in. A core error thrown anywhere in the body becomes the
/// user-facing failure here, once, so the body calls the core with a plain `try`.
protocol CRMCommand: ParsableCommand {
  var global: Global { get }
  /// Opens the database read-only (a command that never writes).
  static var readOnly: Bool { get }
  /// Checks of the typed values that need no database, before it is opened (or created).
  func check() throws
  func run(_ session: Session) throws
}

extension CRMCommand {
  static var readOnly: Bool { false }

  func check() throws {}

  func run() throws {
    try check()
    do {
      try run(Session(global, readOnly: Self.readOnly))
    } catch let e as CRMError {
      throw fail(e, global)
    }
  }
}

/// The opened database, signed in as `--user`, and what the core and the screens are made from.
struct Session {
  let global: Global
  let database: CRMDatabase
  /// The core's context: every core service comes from it (`session.context.clients`…).
  let context: ServiceContext

  init(_ global: Global, readOnly: Bool = false) throws {
    self.global = global
    database = try global.open(readOnly: readOnly)
    context = ServiceContext(db: database, language: global.language)
  }

  var language: Language { global.language }

  /// The acting user, for commands that write: a database opened without one (read-only) is an
  /// environment error.
  func writer() throws(CRMError) -> User {
    guard let me = context.user else { throw .readOnly(path: database.path) }
    return me
  }

  /// The screens' context (for commands that reuse what the interface computes).
  var app: AppContext { AppContext(db: database, language: language) }
}
